import Glibc
import Synchronization

/// hull's logger: runc's `--log`, `--log-format` and `--debug`, in logrus's formats.
///
/// Until `configure` is called, entries of level info and above go to stderr as text. The CLI
/// configures it once from the global flags before running a command.
public enum Log {
    /// Sends entries to `path` (opened O_WRONLY|O_CREAT|O_APPEND|O_CLOEXEC, mode 0644) or, for nil,
    /// to stderr, in `format`; `debug` lets debug entries through. Throws if the file cannot be
    /// opened, and then leaves the previous destination in place.
    public static func configure(path: String?, format: LogFormat, debug: Bool) throws {
        var fd = STDERR_FILENO
        if let path {
            fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                throw HullError("--log: \(path): open: \(String(cString: strerror(errno)))")
            }
        }
        let destination = LogDestination(fd: fd, isStderr: path == nil, format: format, minimumLevel: debug ? .debug : .info)
        LogSink.shared.replace(with: destination)
    }

    public static func debug(_ message: String, fields: [String: String] = [:]) {
        LogSink.shared.write(.debug, message, fields)
    }

    public static func info(_ message: String, fields: [String: String] = [:]) {
        LogSink.shared.write(.info, message, fields)
    }

    public static func warn(_ message: String, fields: [String: String] = [:]) {
        LogSink.shared.write(.warning, message, fields)
    }

    public static func error(_ message: String, fields: [String: String] = [:]) {
        LogSink.shared.write(.error, message, fields)
    }

    /// Whether debug entries are written (to skip building expensive debug messages).
    public static var isDebugEnabled: Bool {
        LogSink.shared.destination.minimumLevel <= .debug
    }

    /// Whether entries go to stderr (no `--log`). The CLI then prints an error once, plainly,
    /// instead of both plainly and as a log entry.
    public static var isWritingToStderr: Bool {
        LogSink.shared.destination.isStderr
    }

    /// The configured format.
    public static var format: LogFormat {
        LogSink.shared.destination.format
    }
}

/// Where and how entries are written.
struct LogDestination: Sendable {
    var fd: Int32
    var isStderr: Bool
    var format: LogFormat
    var minimumLevel: LogLevel

    static let standardError = LogDestination(fd: STDERR_FILENO, isStderr: true, format: .text, minimumLevel: .info)
}

/// The process-wide logger state behind `Log`, guarded by a mutex so entries from several threads
/// never interleave within a line (each line is also one write(2), atomic under O_APPEND).
final class LogSink: Sendable {
    static let shared = LogSink()

    private let state = Mutex(LogDestination.standardError)

    var destination: LogDestination {
        state.withLock { $0 }
    }

    func replace(with destination: LogDestination) {
        state.withLock { current in
            if !current.isStderr { close(current.fd) }
            current = destination
        }
    }

    func write(_ level: LogLevel, _ message: String, _ fields: [String: String]) {
        state.withLock { destination in
            guard level >= destination.minimumLevel else { return }
            let line = LogEntryFormatter.line(
                level: level, message: message, fields: fields,
                time: RFC3339Timestamp.nowLocalSeconds(), format: destination.format)
            let bytes = Array(line.utf8)
            bytes.withUnsafeBytes { buffer in
                _ = StateFileSystem.retryingEINTR { Glibc.write(destination.fd, buffer.baseAddress, buffer.count) }
            }
        }
    }
}
