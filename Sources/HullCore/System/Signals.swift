#if canImport(Glibc)
import Glibc
#endif

/// Signal names and numbers as `kill` accepts them: "KILL", "SIGKILL", "9".
public enum Signals {
    static let numbers: [String: Int32] = [
        "HUP": SIGHUP, "INT": SIGINT, "QUIT": SIGQUIT, "ILL": SIGILL, "TRAP": SIGTRAP, "ABRT": SIGABRT,
        "IOT": SIGIOT, "BUS": SIGBUS, "FPE": SIGFPE, "KILL": SIGKILL, "USR1": SIGUSR1, "SEGV": SIGSEGV,
        "USR2": SIGUSR2, "PIPE": SIGPIPE, "ALRM": SIGALRM, "TERM": SIGTERM, "STKFLT": SIGSTKFLT,
        "CHLD": SIGCHLD, "CONT": SIGCONT, "STOP": SIGSTOP, "TSTP": SIGTSTP, "TTIN": SIGTTIN,
        "TTOU": SIGTTOU, "URG": SIGURG, "XCPU": SIGXCPU, "XFSZ": SIGXFSZ, "VTALRM": SIGVTALRM,
        "PROF": SIGPROF, "WINCH": SIGWINCH, "IO": SIGIO, "POLL": SIGPOLL, "PWR": SIGPWR, "SYS": SIGSYS,
    ]

    /// "RTMIN", "RTMIN+3", "RTMAX-2" (SIGRTMIN is 34 and SIGRTMAX 64 on Linux, as seen by glibc users).
    private static func realtime(_ name: String) -> Int32? {
        for (base, sign, value) in [("RTMIN", "+", Int32(34)), ("RTMAX", "-", Int32(64))] where name.hasPrefix(base) {
            let rest = name.dropFirst(base.count)
            if rest.isEmpty { return value }
            guard rest.hasPrefix(sign), let offset = Int32(rest.dropFirst()), offset >= 0, offset <= 30 else { return nil }
            return sign == "+" ? value + offset : value - offset
        }
        return nil
    }

    /// Parses a signal given by name or number.
    public static func parse(_ text: String) throws -> Int32 {
        if let number = Int32(text) {
            guard number > 0, number < 65 else { throw HullError("invalid signal \"\(text)\"") }
            return number
        }
        var name = text.uppercased()
        if name.hasPrefix("SIG") { name.removeFirst(3) }
        if let number = numbers[name] { return number }
        if let number = realtime(name) { return number }
        throw HullError("unknown signal \"\(text)\"")
    }
}
