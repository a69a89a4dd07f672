#if canImport(Glibc)
import Glibc
#endif

/// The cgroup of a container in rootless mode (`--rootless`, RootlessMode), by runc's rules: the
/// caller uses a cgroup it may create, i.e. one inside a subtree delegated to it (on cgroup
/// v2, a directory it owns); otherwise the container runs without a cgroup of its own, which
/// is only acceptable when config.json asks for no limits.
///
/// The container never gets more than the caller had: it cannot be given write access to a
/// host cgroup it could not write before (the class of CVE-2023-25809), since hull creates
/// nothing there on its behalf.
extension CgroupManager {
    /// `self` when the caller can create every directory of it, else a manager of no cgroup;
    /// throws, naming the field, when limits are asked for but no cgroup can be made.
    func forRootless() throws -> CgroupManager {
        // An unprivileged caller cannot set device rules (no CAP_SYS_ADMIN for the device
        // controller or the eBPF program); its user namespace already refuses mknod, and hull
        // binds the devices from the host instead.
        var manager = self
        manager.enforcesDevices = !Rootless.callerIsUnprivileged
        guard let denied = paths.values.sorted().first(where: { !Self.mayCreate($0) }) else { return manager }
        let reason = "\(denied) is not writable by uid \(geteuid()) (no delegated cgroup)"
        if let field = resources?.firstLimitField {
            throw HullError("config.json: linux.resources.\(field): cannot apply limits in a rootless container: \(reason)")
        }
        Log.warn("rootless container without a cgroup of its own: \(reason)")
        var none = CgroupManager(paths: [:])
        none.enforcesDevices = false
        return none
    }

    /// Whether the caller may make `dir` and move processes into it: it may write the nearest
    /// directory that exists (or `dir`'s cgroup.procs, when `dir` itself exists).
    private static func mayCreate(_ dir: String) -> Bool {
        if FileIO.isDirectory(dir) { return access(dir + "/cgroup.procs", W_OK) == 0 }
        var ancestor = Path.dirname(dir)
        while ancestor != "/" && !FileIO.isDirectory(ancestor) { ancestor = Path.dirname(ancestor) }
        return access(ancestor, W_OK) == 0
    }
}

extension CgroupManager {
    /// The cgroup of a container for `command`, which needs one: a rootless container may
    /// have none (forRootless()), and an unprivileged caller's has no device rules.
    init(of record: ContainerRecord, for command: String) throws {
        guard !record.cgroupPaths.isEmpty else {
            throw HullError("\(command): container \(record.id) has no cgroup of its own (a rootless container without a delegated cgroup)")
        }
        self.init(paths: record.cgroupPaths)
        enforcesDevices = !Rootless.callerIsUnprivileged
    }
}

extension LinuxResources {
    /// The first field that asks for a limit (device rules are not limits), or nil.
    var firstLimitField: String? {
        let set: [(String, Bool)] = [
            ("memory", memory != nil), ("cpu", cpu != nil), ("pids", pids != nil), ("blockIO", blockIO != nil),
            ("hugepageLimits", !(hugepageLimits ?? []).isEmpty), ("network", network != nil),
            ("rdma", !(rdma ?? [:]).isEmpty), ("unified", !(unified ?? [:]).isEmpty),
        ]
        return set.first { $0.1 }?.0
    }
}
