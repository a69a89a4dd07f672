import CHullShim

/// Lays a `ChildPlan` out as the shim's `hull_child_config`, in memory owned by an arena that
/// outlives the clone() call.
extension ChildPlan {
    /// `execFifo` -1: an exec'd process, which runs at once.
    func withCConfig<R>(execFifo: Int32, lockFd: Int32, cgroupEntry: CgroupEntry,
                        _ body: (UnsafePointer<hull_child_config>) throws -> R) rethrows -> R {
        let arena = CArena()
        var config = hull_child_config()
        config.clone_flags = cloneFlags
        config.joins = UnsafePointer(arena.array(joins.map { hull_ns_join(flag: $0.flag, path: arena.string($0.path)) }))
        config.join_count = Int32(joins.count)
        config.join_pidfd = joinPidfd
        config.join_pidfd_flags = joinPidfdFlags
        config.root_fd = rootFd
        config.wait_for_idmaps = newUserNamespace ? 1 : 0
        config.dumpable_until_go = newUserNamespace && Rootless.callerIsUnprivileged ? 1 : 0
        config.time_offsets = arena.optionalString(timeOffsets)
        config.cgroup_task_fds = UnsafePointer(arena.array(cgroupEntry.taskFiles.map(\.fd)))
        config.cgroup_task_paths = UnsafePointer(arena.array(cgroupEntry.taskFiles.map {
            UnsafePointer(arena.string($0.path)) as UnsafePointer<CChar>?
        }))
        config.cgroup_task_count = Int32(cgroupEntry.taskFiles.count)
        config.cgroup_v2_fd = cgroupEntry.v2Directory
        config.report_cgroup_entry = cgroupEntry.isReported ? 1 : 0

        config.rootfs = UnsafePointer(arena.string(rootfs))
        config.root_propagation = rootPropagation
        config.rootfs_propagation = rootfsPropagation
        config.rootfs_readonly = rootfsReadonly ? 1 : 0
        config.no_pivot = noPivot ? 1 : 0
        config.mounts = UnsafePointer(arena.array(mounts.map { $0.cValue(arena) }))
        config.mount_count = Int32(mounts.count)
        config.devices = UnsafePointer(arena.array(devices.map {
            hull_device(path: arena.string($0.path), mode: $0.mode, major: $0.major, minor: $0.minor, uid: $0.uid, gid: $0.gid)
        }))
        config.device_count = Int32(devices.count)
        config.bind_devices = bindDevices ? 1 : 0
        config.symlinks = UnsafePointer(arena.array(symlinks.map {
            hull_symlink(target: arena.string($0.target), path: arena.string($0.path))
        }))
        config.symlink_count = Int32(symlinks.count)
        config.masked_paths = UnsafePointer(arena.array(maskedPaths.map { UnsafePointer(arena.string($0)) as UnsafePointer<CChar>? }))
        config.masked_count = Int32(maskedPaths.count)
        config.readonly_paths = UnsafePointer(arena.array(readonlyPaths.map { UnsafePointer(arena.string($0)) as UnsafePointer<CChar>? }))
        config.readonly_count = Int32(readonlyPaths.count)

        config.hostname = arena.optionalString(hostname)
        config.domainname = arena.optionalString(domainname)
        config.sysctls = UnsafePointer(arena.array(sysctls.map { hull_sysctl(key: arena.string($0.key), value: arena.string($0.value)) }))
        config.sysctl_count = Int32(sysctls.count)
        config.rlimits = UnsafePointer(arena.array(rlimits.map {
            hull_rlimit(resource: $0.resource, soft: $0.soft, hard: $0.hard, name: arena.string($0.name))
        }))
        config.rlimit_count = Int32(rlimits.count)
        config.oom_score_adj = arena.optionalString(oomScoreAdj)
        config.session_keyring = arena.optionalString(sessionKeyring)

        config.uid = uid
        config.gid = gid
        config.additional_gids = UnsafePointer(arena.array(additionalGids))
        config.additional_gid_count = Int32(additionalGids.count)
        config.set_groups = setGroups ? 1 : 0
        config.umask = umask
        config.cwd = UnsafePointer(arena.string(cwd))
        config.argv = UnsafePointer(arena.stringArray(args))
        config.envp = UnsafePointer(arena.stringArray(env))
        config.preserve_fds = preserveFds
        config.security = security.cValue(arena)
        config.terminal = terminal ? 1 : 0
        config.mount_console = mountConsole ? 1 : 0
        config.console_rows = UInt16(clamping: consoleSize?.height ?? 0)
        config.console_cols = UInt16(clamping: consoleSize?.width ?? 0)

        config.exec_fifo_fd = execFifo
        config.lock_fd = lockFd
        config.start_hooks = UnsafePointer(arena.array(startHooks.map { $0.cValue(arena) }))
        config.start_hook_count = Int32(startHooks.count)
        config.create_hooks = hasCreateHooks ? 1 : 0
        return try withExtendedLifetime(arena) { try body(&config) }
    }
}

extension PlannedMount {
    func cValue(_ arena: CArena) -> hull_mount {
        hull_mount(source: arena.optionalString(source), destination: arena.string(destination),
                   fstype: arena.optionalString(fstype), data: arena.optionalString(data),
                   flags: flags, propagation: propagation, remount_bind: remountBind ? 1 : 0,
                   remount_readonly_last: remountReadonlyLast ? 1 : 0, attr_set: attrSet, attr_clr: attrClear,
                   copy_up: copyUp ? 1 : 0)
    }
}

extension Hook {
    func cValue(_ arena: CArena) -> hull_hook {
        hull_hook(path: arena.string(path), argv: UnsafePointer(arena.stringArray(args ?? [path])),
                  envp: UnsafePointer(arena.stringArray(env ?? [])), timeout: Int32(timeout ?? 0))
    }
}
