#if canImport(Glibc)
import Glibc
#endif

/// hull's own terminal in raw mode while it proxies a container's pty: every key goes to the
/// container as typed (Ctrl-C included), and the terminal's settings come back on `restore()`.
struct RawTerminal {
    private let fd: Int32
    private let saved: termios

    /// Puts `fd` in raw mode; nil when it is not a terminal.
    init?(fd: Int32) {
        var settings = termios()
        guard tcgetattr(fd, &settings) == 0 else { return nil }
        self.fd = fd
        saved = settings
        cfmakeraw(&settings)
        guard tcsetattr(fd, TCSANOW, &settings) == 0 else { return nil }
    }

    func restore() {
        var settings = saved
        _ = tcsetattr(fd, TCSANOW, &settings)
    }

    /// Gives `pty` the window size of `fd` (at start and on SIGWINCH); a terminal that knows
    /// no size (0x0, e.g. under `script`) leaves the pty's as it is.
    static func copyWindowSize(from fd: Int32, to pty: Int32) {
        var size = winsize()
        if ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0, size.ws_col > 0 {
            _ = ioctl(pty, UInt(TIOCSWINSZ), &size)
        }
    }
}
