/// One value for one file of the container's cgroup, and the config field it comes from, so a
/// write the kernel refuses can be reported as that field's error.
struct CgroupWrite: Equatable, Sendable {
    /// The v1 controller whose hierarchy holds the file ("memory", "cpu"); "" for the unified
    /// (cgroup v2) directory.
    var controller: String
    var file: String
    var value: String
    /// "linux.resources.memory.limit".
    var field: String

    init(_ controller: String, _ file: String, _ value: String, field: String) {
        self.controller = controller
        self.file = file
        self.value = value
        self.field = field
    }
}

/// What a resource plan may ask about the container's cgroup before it decides what to write:
/// whether a file exists (BFQ or CFQ weight files, kernel-dependent v1 files) and a file's
/// current value (the order of the v1 memory and memory+swap limits). Injected, so plans are
/// tested without a cgroup.
struct CgroupFileProbe: Sendable {
    let exists: @Sendable (_ controller: String, _ file: String) -> Bool
    let read: @Sendable (_ controller: String, _ file: String) -> String?

    init(exists: @escaping @Sendable (String, String) -> Bool,
         read: @escaping @Sendable (String, String) -> String? = { _, _ in nil }) {
        self.exists = exists
        self.read = read
    }
}
