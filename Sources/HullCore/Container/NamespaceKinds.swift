/// The CLONE_NEW* flag and /proc/PID/ns name of each namespace type of config.json.
/// (Glibc's module does not export the CLONE_NEW* macros, which need _GNU_SOURCE.)
enum NamespaceKind {
    static let cloneFlags: [String: Int32] = [
        "mount": 0x0002_0000,    // CLONE_NEWNS
        "cgroup": 0x0200_0000,   // CLONE_NEWCGROUP
        "uts": 0x0400_0000,      // CLONE_NEWUTS
        "ipc": 0x0800_0000,      // CLONE_NEWIPC
        "user": 0x1000_0000,     // CLONE_NEWUSER
        "pid": 0x2000_0000,      // CLONE_NEWPID
        "network": 0x4000_0000,  // CLONE_NEWNET
        "time": 0x0000_0080,     // CLONE_NEWTIME
    ]

    static let procNames: [String: String] = [
        "user": "user", "mount": "mnt", "pid": "pid", "network": "net", "ipc": "ipc",
        "uts": "uts", "cgroup": "cgroup", "time": "time",
    ]

    /// Joins happen in this order: the user namespace first, so that the others are joined
    /// with the privileges it grants; mount last, as runc does.
    static let joinOrder = ["user", "ipc", "uts", "network", "pid", "cgroup", "time", "mount"]
}
