#if canImport(Glibc)
import Glibc
#endif

/// The mounts CRIU must be told about because their source lies outside the container's mount
/// tree (runc's `addCriuDumpMount` / `addCriuRestoreMount`): every bind mount of config.json,
/// the cgroup directories bound in when there is no cgroup namespace, and the masked files
/// (bound from /dev/null). At dump each is named by its destination; at restore that name is
/// mapped to the source to bind from.
enum CriuMounts {
    /// `ext_mnt` of a dump: (mount point in the container, name in the images).
    static func forDump(spec: Spec, bundle: String, cgroup: CgroupManager, initPid: Int32) throws -> [(key: String, value: String)] {
        var mounts = try binds(spec: spec, bundle: bundle, cgroup: cgroup, requireSources: false)
            .map { (key: $0.destination, value: $0.destination) }
        for path in spec.linux?.maskedPaths ?? [] {
            var info = stat()
            // A masked directory is a read-only tmpfs CRIU dumps itself; a file is /dev/null.
            guard stat("/proc/\(initPid)/root" + path, &info) == 0, info.st_mode & S_IFMT != S_IFDIR else { continue }
            mounts.append((key: path, value: "/dev/null"))
        }
        return mounts
    }

    /// `ext_mnt` of a restore: (name in the images, host path to bind).
    static func forRestore(spec: Spec, bundle: String, cgroup: CgroupManager) throws -> [(key: String, value: String)] {
        var mounts = try binds(spec: spec, bundle: bundle, cgroup: cgroup, requireSources: true)
            .map { (key: $0.destination, value: $0.source) }
        if !(spec.linux?.maskedPaths ?? []).isEmpty {
            mounts.append((key: "/dev/null", value: "/dev/null"))
        }
        return mounts
    }

    /// The bind mounts `create` performs for config.json's mounts (PlannedMount), with their
    /// host sources. At dump a bind source may be gone (only its destination matters then).
    private static func binds(spec: Spec, bundle: String, cgroup: CgroupManager,
                              requireSources: Bool) throws -> [(destination: String, source: String)] {
        let hierarchies = try CgroupHierarchies.current()
        let cgroupNamespace = spec.linux?.namespaces?.contains { $0.type == .cgroup } ?? false
        var binds: [(destination: String, source: String)] = []
        for (index, mount) in (spec.mounts ?? []).enumerated() {
            let planned: [PlannedMount]
            do {
                planned = try PlannedMount.plan(mount, index: index, bundle: bundle, cgroup: cgroup,
                                                hierarchies: hierarchies, cgroupNamespace: cgroupNamespace)
            } catch where !requireSources {
                binds.append((Path.clean(mount.destination), mount.source ?? ""))
                continue
            }
            for entry in planned where entry.flags & UInt(MS_BIND) != 0 {
                guard let source = entry.source, source.hasPrefix("/") else { continue }
                binds.append((entry.destination, source))
            }
        }
        return binds
    }
}

/// Namespaces config.json joins by path. CRIU leaves a joined network or pid namespace alone
/// at dump when told it is external (`net[INODE]:extRootNetNS`), and at restore is handed an
/// fd of it under the same key; other kinds it joins itself at restore (`join_ns`). As runc.
enum CriuNamespaces {
    static func external(spec: Spec) throws -> [String] {
        try externalPaths(spec).map { kind, path in
            var info = stat()
            guard stat(path, &info) == 0 else {
                throw HullError("config.json: linux.namespaces: \(path): \(Errno.describe(errno))")
            }
            return "\(kind)[\(info.st_ino)]:\(key(kind))"
        }
    }

    /// The inherit_fd entries and the fds to pass (as 4, 5, ...; the caller closes them), plus
    /// the join_ns entries of a restore.
    static func forRestore(spec: Spec) throws -> (inherit: [(key: String, fd: Int32)], fds: [Int32],
                                                  join: [(ns: String, file: String)]) {
        var inherit: [(key: String, fd: Int32)] = []
        var fds: [Int32] = []
        do {
            for (kind, path) in externalPaths(spec) {
                let fd = open(path, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else {
                    throw HullError("config.json: linux.namespaces: \(path): \(Errno.describe(errno))")
                }
                inherit.append((key(kind), Int32(4 + fds.count)))
                fds.append(fd)
            }
            var join: [(ns: String, file: String)] = []
            for namespace in spec.linux?.namespaces ?? [] {
                guard let path = namespace.path, !path.isEmpty, namespace.type != .network, namespace.type != .pid else { continue }
                guard namespace.type != .cgroup else {
                    throw HullError("config.json: linux.namespaces: CRIU cannot restore into a cgroup namespace given by path")
                }
                join.append((NamespaceKind.procNames[namespace.type.rawValue] ?? namespace.type.rawValue, path))
            }
            return (inherit, fds, join)
        } catch {
            fds.forEach { close($0) }
            throw error
        }
    }

    /// (CRIU's name, path) of the network and pid namespaces joined by path.
    private static func externalPaths(_ spec: Spec) -> [(String, String)] {
        (spec.linux?.namespaces ?? []).compactMap { namespace in
            guard let path = namespace.path, !path.isEmpty else { return nil }
            switch namespace.type {
            case .network: return ("net", path)
            case .pid: return ("pid", path)
            default: return nil
            }
        }
    }

    /// runc's key: extRootNetNS, extRootPidNS.
    private static func key(_ kind: String) -> String {
        "extRoot" + kind.prefix(1).uppercased() + kind.dropFirst() + "NS"
    }
}
