#if canImport(Glibc)
import Glibc
#endif

extension Lifecycle {
    /// The signals `hull run` passes on to the container's init: as runc, every signal but
    /// SIGCHLD, SIGWINCH and SIGURG (and those that cannot be caught, and the synchronous fault
    /// signals, which concern hull itself); glibc keeps 32 and 33 for itself.
    static let forwardedSignals: [Int32] = (1...64).filter { signal in
        ![SIGKILL, SIGSTOP, SIGCHLD, SIGWINCH, SIGURG, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS, 32, 33]
            .contains(Int32(signal))
    }.map { Int32($0) }

    /// `hull run`: create + start; unless `detach`, waits for the init, forwarding signals, and
    /// returns its exit status (128+N when killed by signal N); then deletes the container
    /// unless `keep`.
    public func run(_ request: CreateRequest, detach: Bool, keep: Bool) throws -> Int32 {
        // Block the forwarded signals before the init exists, so none is lost; the init
        // unblocks everything before it runs the user's process.
        var waited = sigset_t()
        sigemptyset(&waited)
        for signal in Self.forwardedSignals + [SIGCHLD] { sigaddset(&waited, signal) }
        var previous = sigset_t()
        sigprocmask(SIG_BLOCK, &waited, &previous)
        defer { sigprocmask(SIG_SETMASK, &previous, nil) }

        let pid = try create(request)
        do {
            try start(id: request.id)
        } catch {
            try? delete(id: request.id, force: true)
            throw error
        }
        if detach { return 0 }
        let status = waitForward(pid: pid, signals: &waited)
        if !keep {
            try delete(id: request.id, force: true)
        }
        return status
    }

    /// Waits for `pid` (a child of hull), forwarding every other signal in `signals` to it.
    private func waitForward(pid: Int32, signals: inout sigset_t) -> Int32 {
        while true {
            var status: Int32 = 0
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { return Self.exitCode(status) }
            if reaped < 0 && errno != EINTR { return 255 }
            var info = siginfo_t()
            let signal = sigwaitinfo(&signals, &info)
            if signal > 0 && signal != SIGCHLD {
                _ = Glibc.kill(pid, signal)
            }
        }
    }

    /// A wait status as a shell exit code: the exit status, or 128+N for signal N.
    static func exitCode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}
