#if canImport(Glibc)
import Glibc
#endif
import CHullShim

/// A file descriptor that becomes readable when the kernel's OOM killer acts in a container's
/// cgroup, as runc's `events` watches it:
/// - cgroup v1: an eventfd registered with memory.oom_control in cgroup.event_control; the
///   kernel counts it up on each OOM of the group, and each count is one event;
/// - cgroup v2: inotify on memory.events, which the kernel modifies for every memory event; an
///   event is reported when its `oom_kill` count has grown.
final class OOMNotifier {
    private enum Source {
        case eventfd(oomControl: Int32)
        case inotify
    }

    let fd: Int32
    private let source: Source
    private let cgroup: CgroupManager
    private var oomKills: UInt64

    /// Watches `cgroup`; nil when it has no memory controller (no OOM events to report).
    init?(cgroup: CgroupManager) throws {
        guard let dir = cgroup.directory(for: cgroup.isUnified ? "" : "memory") else { return nil }
        self.cgroup = cgroup
        oomKills = cgroup.oomKillCount()
        if cgroup.isUnified {
            let events = dir + "/memory.events"
            guard FileIO.exists(events) else { return nil }
            fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
            guard fd >= 0 else { throw HullError("events: inotify_init1: \(Errno.describe(errno))") }
            source = .inotify
            guard inotify_add_watch(fd, events, UInt32(IN_MODIFY)) >= 0 else {
                let err = errno
                close(fd)
                throw HullError("events: inotify_add_watch \(events): \(Errno.describe(err))")
            }
        } else {
            let control = open(dir + "/memory.oom_control", O_RDONLY | O_CLOEXEC)
            guard control >= 0 else { throw HullError("events: open \(dir)/memory.oom_control: \(Errno.describe(errno))") }
            fd = hull_eventfd()
            guard fd >= 0 else {
                let err = errno
                close(control)
                throw HullError("events: eventfd: \(Errno.describe(err))")
            }
            source = .eventfd(oomControl: control)
            let err = CgroupManager.writeFile(dir + "/cgroup.event_control", "\(fd) \(control)")
            guard err == 0 else {
                close(fd)
                close(control)
                throw HullError("events: register memory.oom_control in \(dir)/cgroup.event_control: \(Errno.describe(err))")
            }
        }
    }

    deinit {
        close(fd)
        if case .eventfd(let control) = source { close(control) }
    }

    /// The OOM events since the last call (0 when none); reads what the descriptor holds
    /// without blocking.
    func take() -> Int {
        switch source {
        case .eventfd:
            var count: UInt64 = 0
            let n = read(fd, &count, MemoryLayout<UInt64>.size)
            return n == MemoryLayout<UInt64>.size ? Int(clamping: count) : 0
        case .inotify:
            var buffer = [UInt8](repeating: 0, count: 4096)
            while read(fd, &buffer, buffer.count) > 0 {}
            let kills = cgroup.oomKillCount()
            defer { oomKills = max(oomKills, kills) }
            return kills > oomKills ? Int(clamping: kills - oomKills) : 0
        }
    }
}
