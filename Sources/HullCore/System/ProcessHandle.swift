#if canImport(Glibc)
import Glibc
#endif
import CHullShim

/// A process identified by its pid *and* its start time, so that a pid reused by an unrelated
/// process is never signalled. Signals go through a pidfd opened after the start-time check,
/// which pins the process.
struct ProcessHandle {
    let pid: Int32
    let startTime: UInt64

    /// A pidfd for the process, or nil when it is gone (or the pid now names another process).
    func open() -> Int32? {
        guard pid > 0 else { return nil }
        let fd = hull_pidfd_open(pid)
        guard fd >= 0 else { return nil }
        // Checked after opening: from here on the pidfd refers to this very process.
        guard let stat = ProcStat.read(pid: pid), stat.startTime == startTime, !stat.hasExited else {
            close(fd)
            return nil
        }
        return fd
    }

    var isAlive: Bool {
        guard let fd = open() else { return false }
        close(fd)
        return true
    }

    /// Sends `signal`; false when the process is gone.
    @discardableResult
    func signal(_ signal: Int32) throws -> Bool {
        guard let fd = open() else { return false }
        defer { close(fd) }
        if hull_pidfd_send_signal(fd, signal) != 0 {
            if errno == ESRCH { return false }
            throw HullError("signal \(signal) to pid \(pid): \(Errno.describe(errno))")
        }
        return true
    }

    /// Waits until the process has exited, at most `timeoutMs`; returns whether it did.
    func waitForExit(timeoutMs: Int32) -> Bool {
        guard let fd = open() else { return true }
        defer { close(fd) }
        var poll = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while true {
            let rc = Glibc.poll(&poll, 1, timeoutMs)
            if rc < 0 && errno == EINTR { continue }
            return rc > 0
        }
    }
}
