#if canImport(Glibc)
import Glibc
#endif

/// Freezing the container's processes (pause/resume, and signalling all processes without a
/// race with forks): the v1 freezer where the host mounts it, otherwise cgroup v2's
/// cgroup.freeze (pure v2, or the cgroup2 directory of a hybrid host).
extension CgroupManager {
    private enum Freezer {
        case v1(String)
        case v2(String)
    }

    private var freezer: Freezer? {
        if !isUnified, let dir = directory(for: "freezer") { return .v1(dir) }
        if let dir = paths[""], FileIO.exists(dir + "/cgroup.freeze") { return .v2(dir) }
        return nil
    }

    /// Whether the container's cgroup is frozen (status `paused`).
    func isFrozen() -> Bool {
        switch freezer {
        case .v1(let dir): return read(dir + "/freezer.state") == "FROZEN"
        case .v2(let dir): return read(dir + "/cgroup.freeze") == "1"
        case nil: return false
        }
    }

    /// Freezes every process and waits until the kernel reports the group frozen.
    func freeze() throws {
        try setFrozen(true)
    }

    /// Thaws the group and waits until it runs again.
    func thaw() throws {
        try setFrozen(false)
    }

    private func setFrozen(_ frozen: Bool) throws {
        let verb = frozen ? "freeze" : "thaw"
        switch freezer {
        case .v1(let dir):
            let target = frozen ? "FROZEN" : "THAWED"
            // FREEZING can linger while a task is busy in the kernel: ask again now and then.
            for attempt in 0..<2000 {
                if attempt % 50 == 0 {
                    let err = Self.writeFile(dir + "/freezer.state", target)
                    guard err == 0 else { throw HullError("\(verb) cgroup \(dir): \(Errno.describe(err))") }
                }
                if read(dir + "/freezer.state") == target { return }
                usleep(1_000)
            }
            if frozen { _ = Self.writeFile(dir + "/freezer.state", "THAWED") }
            throw HullError("\(verb) cgroup \(dir): still \(read(dir + "/freezer.state")) after 2 s")
        case .v2(let dir):
            let err = Self.writeFile(dir + "/cgroup.freeze", frozen ? "1" : "0")
            guard err == 0 else { throw HullError("\(verb) cgroup \(dir): \(Errno.describe(err))") }
            let wanted = frozen ? "frozen 1" : "frozen 0"
            for _ in 0..<2000 {
                if read(dir + "/cgroup.events").split(separator: "\n").contains(Substring(wanted)) { return }
                usleep(1_000)
            }
            if frozen { _ = Self.writeFile(dir + "/cgroup.freeze", "0") }
            throw HullError("\(verb) cgroup \(dir): cgroup.events did not report \(quoted(wanted)) after 2 s")
        case nil:
            throw HullError("\(verb): this host has no cgroup freezer")
        }
    }

    /// Sends `signal` to every process of the container: cgroup.kill for SIGKILL where the
    /// kernel has it; otherwise freeze, signal each pid, thaw, so no process forks past the
    /// signal (runc's signalAllProcesses).
    func signalAll(_ signal: Int32) {
        if signal == SIGKILL, let dir = paths[""], FileIO.exists(dir + "/cgroup.kill"),
           Self.writeFile(dir + "/cgroup.kill", "1") == 0 {
            // Tasks frozen by the v1 freezer take the signal only once thawed.
            if isFrozen() { try? thaw() }
            return
        }
        // Only a process inside a cgroup can add one to it: an empty one stays empty, and
        // freezing it (a write that waits for the kernel, 1.5 ms on v1) would change nothing.
        // That is every `run` and every delete of a stopped container with a pid namespace.
        guard !processes().isEmpty else { return }
        let frozen = (try? freeze()) != nil
        for pid in processes() { _ = Glibc.kill(pid, signal) }
        if frozen || isFrozen() { try? thaw() }
    }

    private func read(_ path: String) -> String {
        ((try? FileIO.readString(path)) ?? "").trimmingWhitespace
    }
}
