#if canImport(Glibc)
import Glibc
#endif

extension Lifecycle {
    /// `hull delete`: removes a stopped (or created) container: its processes, cgroup and state
    /// directory, then runs the poststop hooks. `force` kills a running one first; `force` on an
    /// unknown ID succeeds, as in runc.
    public func delete(id: String, force: Bool) throws {
        let lock: ContainerLock
        do {
            lock = try store.lock(id: id)
        } catch where force && !store.exists(id: id) {
            return
        }
        defer { lock.unlock() }
        let record: ContainerRecord
        do {
            record = try store.load(id: id)
        } catch where force {
            // A create killed before it saved anything: only the directory is left.
            try store.remove(id: id)
            return
        }
        let status = store.status(of: record)
        switch status {
        case .stopped, .created, .creating:
            break
        case .running, .paused:
            guard force else {
                throw HullError("cannot delete container \(id) that is not stopped: \(status.rawValue)")
            }
        }
        try destroy(record)
    }

    /// Kills whatever is left of the container, removes its cgroup and state, runs poststop.
    func destroy(_ record: ContainerRecord) throws {
        let cgroup = CgroupManager(paths: record.cgroupPaths)
        let handle = ProcessHandle(pid: record.pid, startTime: record.pidStartTime)
        try handle.signal(SIGKILL)
        // Without a pid namespace the init's children outlive it: the cgroup knows them all.
        // A paused container's processes die only once thawed.
        cgroup.signalAll(SIGKILL)
        if cgroup.isFrozen() { try? cgroup.thaw() }
        guard handle.waitForExit(timeoutMs: 10_000) else {
            throw HullError("container \(record.id): init process \(record.pid) did not exit after SIGKILL")
        }
        FaultInjection.point("delete.killed")
        let poststop = record.mayHaveHooks(.poststop) ? (try? savedSpec(id: record.id))?.hooks?.poststop ?? [] : []
        try cgroup.remove()
        FaultInjection.point("delete.cgroup-removed")
        try store.remove(id: record.id)
        HookRunner.runWarning(poststop, kind: .poststop, state: stateJSON(record, status: .stopped))
    }
}
