import Glibc

/// The fields hull needs from `/proc/PID/stat` (proc(5)).
///
/// The second field, `comm`, is the process name in parentheses and may itself contain spaces and
/// parentheses (a process can name itself `a) b (c`), so the line is split at the *last* `)`:
/// everything before it (after the first `(`) is `comm`, everything after it is space-separated.
public struct ProcStat: Equatable, Sendable {
    /// Field 1: the process ID.
    public var pid: Int32
    /// Field 2: the executable name, without the parentheses.
    public var comm: String
    /// Field 3: the state character: R, S, D, Z (zombie), T, t, X (dead), I, ...
    public var state: Character
    /// Field 4: the parent's process ID.
    public var ppid: Int32
    /// Field 22: the time the process started after boot, in clock ticks. Together with `pid` it
    /// identifies one process: a reused pid has a different start time.
    public var startTime: UInt64

    public init(pid: Int32, comm: String, state: Character, ppid: Int32, startTime: UInt64) {
        self.pid = pid
        self.comm = comm
        self.state = state
        self.ppid = ppid
        self.startTime = startTime
    }

    /// Whether the process has exited (zombie or dead) even though its pid still exists.
    public var hasExited: Bool { state == "Z" || state == "X" || state == "x" }

    /// Parses the contents of a `/proc/PID/stat` file.
    public static func parse(_ text: String) throws -> ProcStat {
        guard let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close else {
            throw HullError("/proc stat: no (comm) field in \(summary(text))")
        }
        guard let pid = Int32(text[..<open].trimmingSpaces) else {
            throw HullError("/proc stat: invalid pid field in \(summary(text))")
        }
        let comm = String(text[text.index(after: open)..<close])
        let rest = text[text.index(after: close)...].split(whereSeparator: { $0 == " " || $0 == "\n" })
        // rest[0] is field 3; field N is rest[N - 3].
        guard rest.count >= 20, rest[0].count == 1, let state = rest[0].first else {
            throw HullError("/proc stat: too few fields in \(summary(text))")
        }
        guard let ppid = Int32(rest[1]) else {
            throw HullError("/proc stat: invalid ppid field in \(summary(text))")
        }
        guard let startTime = UInt64(rest[19]) else {
            throw HullError("/proc stat: invalid starttime field in \(summary(text))")
        }
        return ProcStat(pid: pid, comm: comm, state: state, ppid: ppid, startTime: startTime)
    }

    /// Reads and parses `/proc/PID/stat`; nil when there is no such process (or it cannot be read).
    public static func read(pid: Int32) -> ProcStat? {
        guard pid > 0, let bytes = try? StateFileSystem.readFile("/proc/\(pid)/stat") else { return nil }
        return try? parse(String(decoding: bytes, as: UTF8.self))
    }

    /// The first 80 characters of `text`, quoted, for error messages.
    private static func summary(_ text: String) -> String {
        let line = text.prefix { $0 != "\n" }
        return "\"" + String(line.prefix(80)) + (line.count > 80 ? "...\"" : "\"")
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var s = self
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return s
    }
}
