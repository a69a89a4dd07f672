#if canImport(Glibc)
import Glibc
#endif

/// Creates a container's cgroup in every hierarchy of the host (runc's cgroupfs driver), applies
/// `linux.resources` to it and moves the init process in before it runs anything, and removes
/// it on delete. Freezing, signalling every process and statistics are in the extensions
/// (CgroupManager+Freezer.swift, +Resources, CgroupStats.swift).
///
/// `linux.cgroupsPath`: an absolute path is taken from each hierarchy's root; a relative one,
/// and the default (the container's ID) when it is empty, from the caller's own cgroup.
struct CgroupManager {
    /// hierarchy key -> absolute directory of the container's cgroup.
    let paths: [String: String]
    /// Applied by `create()` before the init joins.
    var resources: LinuxResources?
    /// `linux.devices`: each node is allowed in the device cgroup.
    var devices: [LinuxDevice] = []
    /// Whether the device rules are applied (not by an unprivileged caller: forRootless()).
    var enforcesDevices = true

    init(paths: [String: String], resources: LinuxResources? = nil, devices: [LinuxDevice] = []) {
        self.paths = paths
        self.resources = resources
        self.devices = devices
    }

    init(cgroupsPath: String?, id: String, hierarchies: CgroupHierarchies,
         resources: LinuxResources? = nil, devices: [LinuxDevice] = []) {
        let inner = (cgroupsPath?.isEmpty ?? true) ? id : cgroupsPath!
        var paths: [String: String] = [:]
        for (key, mountPoint) in hierarchies.mountPoints {
            var base = inner.hasPrefix("/") ? "" : (hierarchies.ownCgroups[key] ?? "/")
            // On pure v2 a caller's systemd scope already holds processes, and a group with
            // processes cannot have children with controllers: use the scope's parent (runc).
            if hierarchies.mode == .unified, base.hasSuffix(".scope") { base = Path.dirname(base) }
            paths[key] = Path.clean(mountPoint + "/" + base + "/" + inner)
        }
        self.paths = paths
        self.resources = resources
        self.devices = devices
    }

    /// A pure cgroup v2 host: one unified directory and no v1 hierarchy.
    var isUnified: Bool {
        !paths.isEmpty && !paths.keys.contains { !$0.isEmpty }
    }

    /// The directory holding `controller`'s files ("" = the cgroup v2 directory), if the host
    /// has that controller mounted.
    func directory(for controller: String) -> String? {
        if controller.isEmpty || isUnified { return paths[""] }
        if let dir = paths[controller] { return dir }   // not co-mounted: no key to split
        return paths.first { $0.key.split(separator: ",").contains(Substring(controller)) }?.value
    }

    /// Creates every directory, applies `resources`, and moves `pid` in. On failure, removes
    /// the directories it created.
    func create(pid: Int32) throws {
        try create()
        try join(pid: pid)
    }

    /// Creates every directory and applies `resources`. On failure, removes the directories it
    /// created.
    func create() throws {
        guard !paths.isEmpty else { return }
        var created: [String] = []
        do {
            for key in paths.keys.sorted() {
                let dir = paths[key]!
                if isUnified {
                    try CgroupV2Controllers.enable(for: resources, below: dir, created: &created)
                } else {
                    if try makeDirectories(dir) { created.append(dir) }
                    if key.split(separator: ",").contains("cpuset") { try inheritCpuset(dir) }
                }
            }
            // Even without linux.resources the device rules apply (deny all, then the devices
            // every container may use), as in runc.
            try apply(resources ?? LinuxResources(), includeDevices: enforcesDevices, errorPrefix: "config.json: ")
        } catch {
            for dir in created.reversed() { _ = rmdir(dir) }
            throw error
        }
    }

    /// The pids in the container's cgroup (all its processes).
    func processes() -> [Int32] {
        let dir = paths["pids"] ?? paths[""] ?? paths.values.sorted().first
        guard let dir, let text = try? FileIO.readString(dir + "/cgroup.procs") else { return [] }
        return text.split(separator: "\n").compactMap { Int32($0) }
    }

    /// Whether any of the directories exists and none of them holds hull itself (its own cgroup
    /// or an ancestor of it): such a cgroup may be killed and removed without a record of it.
    func existsWithoutHull(hierarchies: CgroupHierarchies) -> Bool {
        let ownDirectories = hierarchies.mountPoints.compactMap { key, mountPoint in
            hierarchies.ownCgroups[key].map { Path.clean(mountPoint + "/" + $0) }
        }
        let holdsHull = paths.values.contains { dir in
            ownDirectories.contains { $0 == dir || $0.hasPrefix(dir + "/") }
        }
        return !holdsHull && paths.values.contains(where: FileIO.isDirectory)
    }

    /// Removes every directory, retrying while the kernel still reports it busy (the last
    /// processes are still exiting).
    func remove() throws {
        for dir in paths.values.sorted() {
            var attempts = 0
            while rmdir(dir) != 0 {
                let err = errno
                if err == ENOENT { break }
                attempts += 1
                guard err == EBUSY, attempts < 200 else {
                    throw HullError("remove cgroup \(dir): \(Errno.describe(err))")
                }
                usleep(5_000)
            }
        }
    }

    /// mkdir -p; returns whether the last directory was created by this call.
    func makeDirectories(_ dir: String) throws -> Bool {
        var createdLast = false
        if let failed = FileIO.makeDirectories(dir, mode: 0o755, made: { createdLast = $0 == dir }) {
            throw HullError("create cgroup \(failed.path): \(Errno.describe(failed.errno))")
        }
        return createdLast
    }

    /// A new v1 cpuset group starts with no cpus or mems, and no task may join it until they
    /// are set: copy them down from the nearest ancestor that has them.
    private func inheritCpuset(_ dir: String) throws {
        for file in ["cpuset.cpus", "cpuset.mems"] {
            let read = { (directory: String) in (try? FileIO.readString(directory + "/" + file))?.trimmingWhitespace ?? "" }
            guard read(dir).isEmpty else { continue }
            var ancestors: [String] = []
            var parent = Path.dirname(dir)
            var value = read(parent)
            while value.isEmpty {
                guard parent != "/" else { throw HullError("create cgroup \(dir): no ancestor has \(file) set") }
                ancestors.append(parent)
                parent = Path.dirname(parent)
                value = read(parent)
            }
            for ancestor in ancestors.reversed() + [dir] {
                try FileIO.write(value, to: ancestor + "/" + file)
            }
        }
    }
}
