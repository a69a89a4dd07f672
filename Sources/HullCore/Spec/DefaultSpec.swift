/// The example configurations `hull spec` writes: the same as `runc spec` and
/// `runc spec --rootless` (runc 1.1 and later), apart from `ociVersion`, which is the version
/// hull implements.
extension Spec {
    /// A container running `sh` on a terminal in a read-only "rootfs" directory, with the
    /// capabilities, mounts, masked paths and namespaces `runc spec` gives it.
    public static func runcDefault() -> Spec {
        let capabilities = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]
        return Spec(
            ociVersion: HullVersion.specVersion,
            process: Process(
                terminal: true,
                user: User(uid: 0, gid: 0),
                args: ["sh"],
                env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"],
                cwd: "/",
                capabilities: LinuxCapabilities(
                    bounding: capabilities, effective: capabilities, permitted: capabilities, ambient: capabilities),
                rlimits: [POSIXRlimit(type: "RLIMIT_NOFILE", hard: 1024, soft: 1024)],
                noNewPrivileges: true
            ),
            root: Root(path: "rootfs", readonly: true),
            hostname: "runc",
            mounts: defaultMounts,
            linux: Linux(
                resources: LinuxResources(devices: [LinuxDeviceCgroup(allow: false, access: "rwm")]),
                namespaces: [.pid, .network, .ipc, .uts, .mount].map { LinuxNamespace(type: $0) },
                maskedPaths: [
                    "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                    "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi",
                ],
                readonlyPaths: ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]
            )
        )
    }

    /// `runcDefault()` made to run without privileges, as `runc spec --rootless` does: a user
    /// namespace mapping container root to `uid`/`gid` (the caller's effective IDs), no network
    /// namespace, /sys bind-mounted instead of mounted, no uid=/gid= mount options, and no
    /// cgroup resources.
    public static func rootlessDefault(uid: UInt32, gid: UInt32) -> Spec {
        var spec = runcDefault()
        guard var linux = spec.linux else { return spec }
        linux.namespaces = (linux.namespaces ?? []).filter { $0.type != .network && $0.type != .user }
            + [LinuxNamespace(type: .user)]
        linux.uidMappings = [LinuxIDMapping(containerID: 0, hostID: uid, size: 1)]
        linux.gidMappings = [LinuxIDMapping(containerID: 0, hostID: gid, size: 1)]
        linux.resources = nil
        spec.linux = linux
        spec.mounts = spec.mounts?.map(rootlessMount)
        return spec
    }

    private static let defaultMounts = [
        Mount(destination: "/proc", type: "proc", source: "proc"),
        Mount(destination: "/dev", type: "tmpfs", source: "tmpfs",
              options: ["nosuid", "strictatime", "mode=755", "size=65536k"]),
        Mount(destination: "/dev/pts", type: "devpts", source: "devpts",
              options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]),
        Mount(destination: "/dev/shm", type: "tmpfs", source: "shm",
              options: ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]),
        Mount(destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: ["nosuid", "noexec", "nodev"]),
        Mount(destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"]),
        Mount(destination: "/sys/fs/cgroup", type: "cgroup", source: "cgroup",
              options: ["nosuid", "noexec", "nodev", "relatime", "ro"]),
    ]

    /// A new sysfs cannot be mounted without owning the network namespace, so /sys is bound
    /// from the host; uid= and gid= options name IDs the user namespace may not map.
    private static func rootlessMount(_ mount: Mount) -> Mount {
        if mount.destination == "/sys" {
            return Mount(destination: "/sys", type: "none", source: "/sys",
                         options: ["rbind", "nosuid", "noexec", "nodev", "ro"])
        }
        var mount = mount
        mount.options = mount.options.map { options in
            options.filter { !$0.hasPrefix("uid=") && !$0.hasPrefix("gid=") }
        }
        return mount
    }
}
