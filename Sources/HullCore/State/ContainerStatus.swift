/// A container's status as the OCI runtime spec names it (runtime.md "State"), plus `paused`
/// which runc reports for a frozen container.
///
/// hull stores only `creating` and `created` (in `ContainerRecord.status`); every later status is
/// derived from the live process each time it is asked for, so it can never go stale.
public enum ContainerStatus: String, Codable, Sendable, CaseIterable {
    case creating
    case created
    case running
    case paused
    case stopped
}

/// Extension point for `paused`: tells whether a container's cgroup is frozen.
///
/// hull cannot freeze containers yet, so `notSupported` answers "not frozen" for every container
/// and `paused` is never derived. The cgroups work supplies a real probe (cgroup v2
/// `cgroup.freeze` / v1 `freezer.state` under `record.cgroupPaths`) and passes it to
/// `ContainerStatus.current(of:in:freezer:)`.
public struct FreezerProbe: Sendable {
    public let isFrozen: @Sendable (ContainerRecord) -> Bool

    public init(isFrozen: @escaping @Sendable (ContainerRecord) -> Bool) {
        self.isFrozen = isFrozen
    }

    /// No freezer support: no container is reported as paused.
    public static let notSupported = FreezerProbe { _ in false }
}

extension ContainerStatus {
    /// The status of `record` now, from its init process and its exec fifo.
    public static func current(
        of record: ContainerRecord, in store: StateStore, freezer: FreezerProbe = .notSupported
    ) -> ContainerStatus {
        derive(
            record: record,
            process: ProcStat.read(pid: record.pid),
            waitingOnExecFifo: store.initWaitsOnExecFifo(id: record.id),
            frozen: freezer.isFrozen(record)
        )
    }

    /// The derivation rule, free of I/O so it can be tested case by case:
    ///
    /// 1. no init process (pid 0), no `/proc/PID`, a different start time (the pid was reused by
    ///    another process) or a zombie → `stopped`;
    /// 2. alive and the record still says `creating` → `creating` (create has not finished);
    /// 3. alive and frozen → `paused`;
    /// 4. alive and waiting on `ROOT/ID/exec.fifo` → `created` (start has not released it yet);
    /// 5. alive and past the fifo → `running`.
    public static func derive(
        record: ContainerRecord, process: ProcStat?, waitingOnExecFifo: Bool, frozen: @autoclosure () -> Bool
    ) -> ContainerStatus {
        guard record.pid > 0, let process, process.pid == record.pid,
              process.startTime == record.pidStartTime, !process.hasExited
        else { return .stopped }
        if record.status == .creating { return .creating }
        if frozen() { return .paused }
        return waitingOnExecFifo ? .created : .running
    }
}
