#if canImport(Glibc)
import Glibc
#endif

/// The plan of a process exec'd into a running container: it joins every namespace of the
/// container's init (through a pidfd, so the kernel picks the order, user and time included),
/// enters the init's root directory, and is set up as config.json's process is (user,
/// capabilities, no_new_privs, seccomp, rlimits, cwd, environment).
extension ChildPlan {
    init(exec process: Process, spec: Spec, id: String, target: ExecTarget, preserveFds: Int,
         seccompCache: SeccompCache?) throws {
        joinPidfd = target.pidfd
        joinPidfdFlags = target.namespaceFlags
        rootFd = target.rootFd
        rootfs = "/"
        sessionKeyring = "_ses.\(id)"
        self.preserveFds = Int32(preserveFds)
        try planProcess(process, linux: spec.linux, root: "/proc/\(target.pid)/root", seccompCache: seccompCache)
        // A process in a user namespace whose setgroups is "deny" cannot call setgroups(2).
        if (try? FileIO.readString("/proc/\(target.pid)/setgroups"))?.hasPrefix("deny") == true {
            setGroups = false
        }
    }
}

/// The running init an exec'd process joins: a pidfd pinning it, the namespaces it does not
/// share with hull, and its root directory. Owns both fds.
struct ExecTarget {
    let pid: Int32
    let pidfd: Int32
    let namespaceFlags: Int32
    let rootFd: Int32

    /// Opens the container's init `process`; nil when it is gone.
    init?(_ process: ProcessHandle) {
        guard let pidfd = process.open() else { return nil }
        let rootFd = open("/proc/\(process.pid)/root", Self.openPath | O_DIRECTORY | O_CLOEXEC)
        guard rootFd >= 0 else {
            _ = Glibc.close(pidfd)
            return nil
        }
        self.pid = process.pid
        self.pidfd = pidfd
        self.rootFd = rootFd
        namespaceFlags = Self.namespaceFlags(of: process.pid)
    }

    /// O_PATH, which Swift's Glibc module does not name (it needs _GNU_SOURCE).
    private static let openPath: Int32 = 0o10000000

    func close() {
        _ = Glibc.close(pidfd)
        _ = Glibc.close(rootFd)
    }

    /// The CLONE_NEW* flags of the namespaces `pid` is in and hull is not: setns(2) refuses
    /// to "join" the user namespace a process is already in.
    private static func namespaceFlags(of pid: Int32) -> Int32 {
        NamespaceKind.procNames.reduce(Int32(0)) { flags, entry in
            guard let theirs = inode("/proc/\(pid)/ns/\(entry.value)"),
                  let ours = inode("/proc/self/ns/\(entry.value)"), theirs != ours,
                  let flag = NamespaceKind.cloneFlags[entry.key] else { return flags }
            return flags | flag
        }
    }

    private static func inode(_ path: String) -> UInt? {
        var info = stat()
        return stat(path, &info) == 0 ? UInt(info.st_ino) : nil
    }
}
