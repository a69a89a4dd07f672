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
        try parse(bytes: Array(text.utf8))
    }

    /// Parses the bytes of a `/proc/PID/stat` file. It works on bytes, not Characters: `list`
    /// parses one per container, and grapheme breaking made that most of its cost.
    public static func parse(bytes: [UInt8]) throws -> ProcStat {
        let space = UInt8(ascii: " "), newline = UInt8(ascii: "\n")
        guard let open = bytes.firstIndex(of: UInt8(ascii: "(")), let close = bytes.lastIndex(of: UInt8(ascii: ")")),
              open < close else {
            throw HullError("/proc stat: no (comm) field in \(summary(bytes))")
        }
        guard let pid = Int32(ascii: bytes[..<open].filter { $0 != space }) else {
            throw HullError("/proc stat: invalid pid field in \(summary(bytes))")
        }
        let comm = String(decoding: bytes[(open + 1)..<close], as: UTF8.self)
        // rest[0] is field 3; field N is rest[N - 3]. Nothing after field 22 is needed: the
        // remaining 30 or so fields stay unsplit, in rest[20].
        let rest = bytes[(close + 1)...].split(maxSplits: 20, whereSeparator: { $0 == space || $0 == newline })
        guard rest.count >= 20, rest[0].count == 1, let state = rest[0].first else {
            throw HullError("/proc stat: too few fields in \(summary(bytes))")
        }
        guard let ppid = Int32(ascii: rest[1]) else {
            throw HullError("/proc stat: invalid ppid field in \(summary(bytes))")
        }
        guard let startTime = UInt64(ascii: rest[19]) else {
            throw HullError("/proc stat: invalid starttime field in \(summary(bytes))")
        }
        return ProcStat(pid: pid, comm: comm, state: Character(Unicode.Scalar(state)), ppid: ppid, startTime: startTime)
    }

    /// Reads and parses `/proc/PID/stat`; nil when there is no such process (or it cannot be read).
    public static func read(pid: Int32) -> ProcStat? {
        guard pid > 0, let bytes = try? StateFileSystem.readFile("/proc/\(pid)/stat") else { return nil }
        return try? parse(bytes: bytes)
    }

    /// The first line of the file, at most 80 characters, quoted, for error messages.
    private static func summary(_ bytes: [UInt8]) -> String {
        let line = String(decoding: bytes.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        return "\"" + String(line.prefix(80)) + (line.count > 80 ? "...\"" : "\"")
    }
}

extension FixedWidthInteger {
    /// A decimal number written in ASCII digits (an optional leading "-"), as the kernel writes
    /// them in /proc; nil for anything else or on overflow.
    fileprivate init?<Digits: Collection>(ascii digits: Digits) where Digits.Element == UInt8 {
        var value: Self = 0
        var negative = false
        var sawDigit = false
        for (offset, byte) in digits.enumerated() {
            if offset == 0, byte == UInt8(ascii: "-"), Self.isSigned { negative = true; continue }
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            let digit = Self(byte - UInt8(ascii: "0"))
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else { return nil }
            value = sum
            sawDigit = true
        }
        guard sawDigit else { return nil }
        self = value
    }
}
