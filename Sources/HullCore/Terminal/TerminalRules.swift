#if canImport(Glibc)
import Glibc
#endif

/// Where a process's terminal goes, and runc's rules for asking for one: a detached process
/// hands its pty master to a --console-socket; a foreground one (`run`, `exec` without -d)
/// proxies it to hull's own terminal.
public enum TerminalRules {
    /// Checks `terminal` (process.terminal or `exec --tty`) against the console socket and
    /// the mode before anything is created.
    public static func check(terminal: Bool, consoleSocket: String?, detached: Bool) throws {
        if let consoleSocket {
            guard terminal else {
                throw HullError("--console-socket: the process has no terminal (process.terminal is false)")
            }
            guard detached else {
                throw HullError("--console-socket: only a detached process hands its terminal to a socket")
            }
            try checkSocket(consoleSocket)
        } else if terminal {
            guard !detached else {
                throw HullError("process.terminal: a detached process needs --console-socket to receive its terminal")
            }
            guard isatty(STDIN_FILENO) == 1 else {
                throw HullError("process.terminal: hull's stdin is not a terminal (use --detach with --console-socket)")
            }
        }
    }

    private static func checkSocket(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw HullError("--console-socket: \(path): \(Errno.describe(errno))")
        }
        guard info.st_mode & S_IFMT == S_IFSOCK else {
            throw HullError("--console-socket: \(path) is not a unix socket")
        }
    }
}
