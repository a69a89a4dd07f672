#if canImport(Glibc)
import Glibc
#endif
import CHullShim

/// A process hull waits for in the foreground (`run`, `exec` without --detach): the signals
/// hull receives are forwarded to it, and with a terminal its pty is proxied to hull's own
/// stdin and stdout, in raw mode, with window-size changes passed on.
///
/// The caller has blocked `signals` (ForwardedSignals) before the process was created, so none is
/// lost; they are read here from a signalfd, in one poll loop with the pty. The process's exit is
/// also watched through a pidfd, which does not depend on which of hull's threads a SIGCHLD
/// reaches (a thread that does not block it would take it from the signalfd).
struct ForegroundSession {
    let pid: Int32
    /// The pty master (owned by the session), or nil: the process has hull's stdio.
    let console: Int32?

    /// Waits for the process; returns its exit code (128+N when killed by signal N).
    /// `signals` (blocked by the caller) include SIGCHLD and SIGWINCH.
    func wait(signals: sigset_t) -> Int32 {
        var watched = signals
        let signalFd = hull_signalfd(&watched)
        defer { if signalFd >= 0 { close(signalFd) } }

        var terminal: RawTerminal?
        if let console {
            terminal = RawTerminal(fd: STDIN_FILENO)
            RawTerminal.copyWindowSize(from: STDIN_FILENO, to: console)
            _ = fcntl(console, F_SETFL, fcntl(console, F_GETFL) | O_NONBLOCK)
        }
        defer {
            terminal?.restore()
            if let console { close(console) }
        }
        return loop(signalFd: signalFd)
    }

    private func loop(signalFd: Int32) -> Int32 {
        let exitFd = hull_pidfd_open(pid)
        defer { if exitFd >= 0 { close(exitFd) } }
        var fds = [
            pollfd(fd: signalFd, events: Int16(POLLIN), revents: 0),
            pollfd(fd: console == nil ? -1 : STDIN_FILENO, events: Int16(POLLIN), revents: 0),
            pollfd(fd: console ?? -1, events: Int16(POLLIN), revents: 0),
            pollfd(fd: exitFd, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            if let status = reap() {
                drainConsole()
                return status
            }
            // With neither a signalfd nor a pidfd (neither could be made) the exit is not seen:
            // poll for it.
            let ready = poll(&fds, nfds_t(fds.count), signalFd >= 0 || exitFd >= 0 ? -1 : 50)
            if ready < 0 {
                if errno == EINTR { continue }
                return 255
            }
            if fds[0].revents != 0 { handleSignals(signalFd) }
            if fds[1].revents != 0, !copy(from: STDIN_FILENO, to: console ?? -1) { fds[1].fd = -1 }
            if fds[2].revents != 0, !copy(from: console ?? -1, to: STDOUT_FILENO) { fds[2].fd = -1 }
        }
    }

    /// The exit code once the process has exited.
    private func reap() -> Int32? {
        var status: Int32 = 0
        let reaped = waitpid(pid, &status, WNOHANG)
        if reaped == pid { return Lifecycle.exitCode(status) }
        if reaped < 0 && errno == ECHILD { return 255 }
        return nil
    }

    /// Every pending signal: SIGCHLD only wakes the loop (which reaps), SIGWINCH resizes the
    /// pty, the others go to the process.
    private func handleSignals(_ signalFd: Int32) {
        while case let signal = hull_signalfd_next(signalFd), signal > 0 {
            switch signal {
            case SIGCHLD:
                continue
            case SIGWINCH:
                if let console { RawTerminal.copyWindowSize(from: STDIN_FILENO, to: console) }
            default:
                _ = kill(pid, signal)
            }
        }
    }

    /// Copies what is there to read; false at end of input (or an error).
    private func copy(from source: Int32, to destination: Int32) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16384)
        let count = read(source, &buffer, buffer.count)
        if count < 0 && (errno == EAGAIN || errno == EINTR) { return true }
        guard count > 0 else { return false }
        return writeAll(buffer[0..<count], to: destination)
    }

    private func writeAll(_ bytes: ArraySlice<UInt8>, to fd: Int32) -> Bool {
        var rest = bytes
        while !rest.isEmpty {
            let written = rest.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN { var out = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0); _ = poll(&out, 1, 100); continue }
                return false
            }
            rest = rest.dropFirst(written)
        }
        return true
    }

    /// The output the process wrote just before it exited.
    private func drainConsole() {
        guard let console else { return }
        while copy(from: console, to: STDOUT_FILENO) {
            var ready = pollfd(fd: console, events: Int16(POLLIN), revents: 0)
            if poll(&ready, 1, 0) <= 0 { return }
        }
    }
}
