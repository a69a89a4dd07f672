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

    /// `hull run`: create + start; unless `detach`, waits for the init (proxying its terminal,
    /// forwarding signals) and returns its exit status (128+N when killed by signal N); then
    /// deletes the container unless `keep`.
    public func run(_ request: CreateRequest, detach: Bool, keep: Bool) throws -> Int32 {
        // Block the forwarded signals before the init exists, so none is lost; the init
        // unblocks everything before it runs the user's process.
        let blocked = ForwardedSignals.block()
        defer { blocked.restore() }

        var timer = StepTimer()
        let created = try create(request, detached: detach)
        do {
            try start(id: request.id)
            timer.mark("run: create and start")
        } catch {
            if let console = created.console { close(console) }
            try? delete(id: request.id, force: true)
            throw error
        }
        if detach { return 0 }
        let status = ForegroundSession(pid: created.pid, console: created.console).wait(signals: blocked.signals)
        timer.mark("run: the container's process ran")
        if !keep {
            try delete(id: request.id, force: true)
            timer.mark("run: delete")
        }
        return status
    }

    /// A wait status as a shell exit code: the exit status, or 128+N for signal N.
    static func exitCode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}

/// The signals a foreground `run` or `exec` blocks from before the process exists until it
/// has exited, and forwards to it meanwhile.
struct ForwardedSignals {
    let signals: sigset_t
    private let previous: sigset_t

    static func block() -> ForwardedSignals {
        var signals = sigset_t()
        sigemptyset(&signals)
        for signal in Lifecycle.forwardedSignals + [SIGCHLD, SIGWINCH] { sigaddset(&signals, signal) }
        var previous = sigset_t()
        sigprocmask(SIG_BLOCK, &signals, &previous)
        return ForwardedSignals(signals: signals, previous: previous)
    }

    func restore() {
        var previous = previous
        sigprocmask(SIG_SETMASK, &previous, nil)
    }
}
