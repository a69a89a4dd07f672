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
        } catch let error where force {
            try destroyUnrecorded(id: id, loadError: error)
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

    /// `delete --force` without a record: a create killed before it saved state.json, or a
    /// state.json that cannot be read. The container's cgroup is where the record would have
    /// put it (from the config.json create saved first), so whatever runs there is killed and
    /// the cgroup removed before the directory goes; a cgroup that holds hull itself is never
    /// touched. An unreadable state.json is reported as a warning.
    private func destroyUnrecorded(id: String, loadError: Error) throws {
        if store.hasStateFile(id: id) {
            Log.warn("container \(id): \((loadError as? HullError)?.message ?? "\(loadError)") (removing what its saved config.json names)")
        }
        if let spec = try? savedSpec(id: id), let hierarchies = try? CgroupHierarchies.current() {
            let cgroup = CgroupManager(cgroupsPath: spec.linux?.cgroupsPath, id: id, hierarchies: hierarchies)
            if cgroup.existsWithoutHull(hierarchies: hierarchies) {
                cgroup.signalAll(SIGKILL)
                try cgroup.remove()
            }
            try destroyUnrecordedUnit(spec: spec, id: id, hierarchies: hierarchies)
        }
        try store.remove(id: id)
    }

    /// The systemd driver's part of that: a unit named as create would have named it, whose
    /// cgroup exists, is killed and stopped.
    private func destroyUnrecordedUnit(spec: Spec, id: String, hierarchies: CgroupHierarchies) throws {
        guard hierarchies.mode == .unified, FileIO.isDirectory("/run/systemd/system"),
              let name = try? SystemdUnitName(cgroupsPath: spec.linux?.cgroupsPath, id: id) else { return }
        let cgroup = CgroupManager(paths: hierarchies.mountPoints.mapValues { Path.clean($0 + "/" + name.cgroup) })
        guard cgroup.existsWithoutHull(hierarchies: hierarchies) else { return }
        cgroup.signalAll(SIGKILL)
        try SystemdScope.stop(unit: name.unit)
        try cgroup.remove()
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
        // The unit first: systemd removes its directory; whatever hull made below it goes next.
        if let unit = record.systemdUnit { try SystemdScope.stop(unit: unit) }
        try cgroup.remove()
        FaultInjection.point("delete.cgroup-removed")
        try store.remove(id: record.id)
        HookRunner.runWarning(poststop, kind: .poststop, state: stateJSON(record, status: .stopped))
    }
}
