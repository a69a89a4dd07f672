#if canImport(Glibc)
import Glibc
#endif

extension Lifecycle {
    /// `hull events` without `--stats`: a stats event at once and every `intervalMicros`, and an
    /// `{"type":"oom","id":ID}` event when the kernel's OOM killer acts in the container's
    /// cgroup (OOMNotifier: an eventfd on v1, inotify on v2). Returns when the container stops,
    /// which a pidfd of its init reports; nothing is polled.
    public func streamEvents(id: String, intervalMicros: Int64, write: (String) -> Void) throws {
        let record = try store.load(id: id)
        let cgroup = CgroupManager(paths: record.cgroupPaths)
        write(try statsEvent(id: id))
        let notifier = try OOMNotifier(cgroup: cgroup)
        guard let pidfd = ProcessHandle(pid: record.pid, startTime: record.pidStartTime).open() else { return }
        defer { close(pidfd) }
        let oomEvent = JSONWriter.compact(.ordered([("type", .string("oom")), ("id", .string(id))])) + "\n"
        var nextStats = Self.monotonicMicros() + intervalMicros
        while true {
            let exited = Self.wait(pidfd: pidfd, notifier: notifier?.fd, untilMicros: nextStats)
            // OOM events first: the kill that ends the container is reported before the stream ends.
            for _ in 0..<(notifier?.take() ?? 0) { write(oomEvent) }
            if exited { return }
            if Self.monotonicMicros() >= nextStats {
                guard let event = try? statsEvent(id: id) else { return }
                write(event)
                nextStats += intervalMicros
            }
        }
    }

    /// poll(2) on the init's pidfd and the OOM descriptor until one is readable or the
    /// deadline passes; whether the init has exited.
    private static func wait(pidfd: Int32, notifier: Int32?, untilMicros deadline: Int64) -> Bool {
        var fds = [pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)]
        if let notifier { fds.append(pollfd(fd: notifier, events: Int16(POLLIN), revents: 0)) }
        let remaining = max(0, deadline - monotonicMicros())
        let timeoutMs = Int32(clamping: (remaining + 999) / 1000)
        let rc = poll(&fds, nfds_t(fds.count), timeoutMs)
        return rc > 0 && fds[0].revents != 0
    }

    private static func monotonicMicros() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1_000
    }
}

extension CgroupManager {
    /// How many processes the OOM killer has killed in the group (v1 memory.oom_control,
    /// v2 memory.events `oom_kill`).
    func oomKillCount() -> UInt64 {
        let file = isUnified ? "memory.events" : "memory.oom_control"
        let text = fileProbe().read(isUnified ? "" : "memory", file) ?? ""
        for line in text.split(separator: "\n") where line.hasPrefix("oom_kill ") {
            return UInt64(line.dropFirst("oom_kill ".count)) ?? 0
        }
        return 0
    }
}
