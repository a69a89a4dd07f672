#if canImport(Glibc)
import Glibc
#endif

/// The open cgroup files through which a new process (a container's init or an exec'd one)
/// enters its cgroup without hull writing its pid to `cgroup.procs` (CHullShim/cgroup_entry.c
/// says why: that write waits for an RCU grace period, 10 to 20 ms on an idle machine).
/// cgroup v1: each hierarchy's `tasks`, to which the process writes "0" itself; cgroup v2: the
/// directory clone3 creates hull's child in. Opened by hull before the clone, so the kernel
/// checks hull's credentials; all close-on-exec, and the process closes its copies once in.
struct CgroupEntry {
    /// Hierarchy key and open `tasks` of each cgroup v1 hierarchy.
    private(set) var taskFiles: [(key: String, fd: Int32, path: String)] = []
    /// The cgroup v2 directory, or -1.
    private(set) var v2Directory: Int32 = -1
    /// The process says when it is in (HULL_SYNC_JOINED).
    private(set) var isReported = false

    /// No entry of its own: hull moves the process into every hierarchy (exec, restore, systemd).
    static let none = CgroupEntry()

    private init() {}

    /// Opens the files of every directory of `cgroup`, which must exist. A cgroup v2 directory
    /// with a pids limit is left to hull: clone3 could hit the limit with hull's child and the
    /// process it clones, where moving a process in is never refused (an exec into a full
    /// container works, as in runc).
    init(_ cgroup: CgroupManager, reported: Bool = false) throws {
        isReported = reported
        do {
            for (key, dir) in cgroup.paths.sorted(by: { $0.key < $1.key }) {
                if key.isEmpty {
                    let pidsMax = (try? FileIO.readString(dir + "/pids.max"))?.trimmingWhitespace ?? "max"
                    if pidsMax == "max" { v2Directory = try Self.open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
                } else {
                    let path = dir + "/tasks"
                    taskFiles.append((key, try Self.open(path, O_WRONLY | O_CLOEXEC), path))
                }
            }
        } catch {
            close()
            throw error
        }
    }

    /// The hierarchies hull itself still has to move the process into: those without an entry,
    /// and the v2 one unless clone3 created the process there.
    func keysLeftToJoin(of cgroup: CgroupManager, inV2Cgroup: Bool) -> [String] {
        cgroup.paths.keys.filter { key in
            key.isEmpty ? !inV2Cgroup : !taskFiles.contains { $0.key == key }
        }.sorted()
    }

    func close() {
        for file in taskFiles { _ = Glibc.close(file.fd) }
        if v2Directory >= 0 { _ = Glibc.close(v2Directory) }
    }

    private static func open(_ path: String, _ flags: Int32) throws -> Int32 {
        let fd = Glibc.open(path, flags)
        guard fd >= 0 else { throw HullError("open \(path): \(Errno.describe(errno))") }
        return fd
    }
}
