#if canImport(Glibc)
import Glibc
#endif

/// One mount(2) call (plus its remount and propagation) as the child performs it. A config
/// mount becomes one planned mount, except a cgroup mount on a v1 host, which becomes a tmpfs
/// with the container's cgroup of each hierarchy bound into it, as runc does.
struct PlannedMount: Equatable {
    var source: String?
    var destination: String
    var fstype: String?
    var data: String?
    var flags: UInt = 0
    var propagation: UInt = 0
    var remountBind = false
    var remountReadonlyLast = false
    var attrSet: UInt64 = 0
    var attrClear: UInt64 = 0
    var copyUp = false

    static func plan(_ mount: Mount, index: Int, bundle: String, cgroup: CgroupManager,
                     hierarchies: CgroupHierarchies, cgroupNamespace: Bool) throws -> [PlannedMount] {
        let options: MountOptions
        do {
            options = try MountOptions(mount.options ?? [])
        } catch let error as HullError {
            throw HullError("config.json: mounts[\(index)].options: \(error.message)")
        }
        let destination = Path.clean(mount.destination)
        if mount.type == "cgroup" || mount.type == "cgroup2" {
            return cgroupMounts(destination, options: options, cgroup: cgroup, hierarchies: hierarchies,
                                cgroupNamespace: cgroupNamespace)
        }
        if options.isBind || mount.type == "bind" {
            guard let source = mount.source, !source.isEmpty else {
                throw HullError("config.json: mounts[\(index)].source: a bind mount needs a source")
            }
            let hostSource = Path.absolute(source, relativeTo: bundle)
            guard FileIO.exists(hostSource) else {
                throw HullError("config.json: mounts[\(index)].source: \(hostSource): no such file or directory")
            }
            return [bind(hostSource, to: destination, options: options)]
        }
        return [PlannedMount(source: mount.source ?? mount.type ?? "none", destination: destination,
                             fstype: mount.type, data: options.data.isEmpty ? nil : options.data.joined(separator: ","),
                             flags: options.flags, propagation: options.propagation,
                             attrSet: options.attrSet, attrClear: options.attrClear,
                             copyUp: options.copyUp && mount.type == "tmpfs")]
    }

    private static func bind(_ source: String, to destination: String, options: MountOptions) -> PlannedMount {
        var flags = options.flags | UInt(MS_BIND)
        if options.isBind == false { flags |= UInt(MS_REC) }   // type "bind" without an option: rbind, as crun
        let extra = flags & ~UInt(MS_BIND | MS_REC | MS_REMOUNT)
        var attrSet = options.attrSet
        // "ro" makes only the top mount of an rbind read-only. An unprivileged caller's rbind
        // of /sys would leave the host's cgroup mounts under it writable, and with them the
        // cgroups the caller owns (CVE-2023-25809): a rootless container's read-only rbind is
        // read-only all the way down ("rro").
        if Rootless.callerIsUnprivileged && flags & UInt(MS_REC) != 0 && flags & UInt(MS_RDONLY) != 0 {
            attrSet |= MountOptions.attrReadOnly
        }
        return PlannedMount(source: source, destination: destination, fstype: nil, data: nil, flags: flags,
                            propagation: options.propagation, remountBind: extra != 0,
                            attrSet: attrSet, attrClear: options.attrClear)
    }

    private static func cgroupMounts(_ destination: String, options: MountOptions, cgroup: CgroupManager,
                                     hierarchies: CgroupHierarchies, cgroupNamespace: Bool) -> [PlannedMount] {
        let readonly = options.flags & UInt(MS_RDONLY) != 0
        if hierarchies.mode == .unified {
            if cgroupNamespace {
                return [PlannedMount(source: "cgroup", destination: destination, fstype: "cgroup2",
                                     flags: options.flags & ~UInt(MS_BIND | MS_REC))]
            }
            return cgroup.paths[""].map { [bind($0, to: destination, options: options)] } ?? []
        }
        let common = UInt(MS_NOSUID | MS_NODEV | MS_NOEXEC)
        var mounts = [PlannedMount(source: "tmpfs", destination: destination, fstype: "tmpfs", data: "mode=755",
                                   flags: common, remountReadonlyLast: readonly)]
        for key in cgroup.paths.keys.sorted() {
            let name = key.isEmpty ? "unified" : (key.hasPrefix("name=") ? String(key.dropFirst(5)) : key)
            let bindOptions = MountOptions(flags: UInt(MS_BIND) | common | (readonly ? UInt(MS_RDONLY) : 0))
            mounts.append(bind(cgroup.paths[key]!, to: destination + "/" + name, options: bindOptions))
        }
        return mounts
    }
}

extension MountOptions {
    init(flags: UInt) {
        self.flags = flags
    }
}
