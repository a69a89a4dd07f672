/// What CRIU's log (`dump.log`, `restore.log` in the work directory) says went wrong: its
/// `Error (file:line): message` lines, as runc quotes them after a failure.
enum CriuLog {
    /// The first error that names a cause, without CRIU's source location; nil when the log
    /// is missing or has no error. `exited, status=N` lines (a helper CRIU ran failed) come
    /// before the line that says why, so they are passed over when another error follows.
    static func firstError(in path: String) -> String? {
        guard let text = try? FileIO.readString(path) else { return nil }
        let errors = text.split(separator: "\n").compactMap(message)
        return errors.first { !$0.hasPrefix("exited, status=") } ?? errors.first
    }

    /// Whether the log shows CRIU could not even detect the kernel's features (its `criu check`
    /// fails the same way: on this kernel CRIU cannot work at all).
    static func kernelDetectionFailed(in path: String) -> Bool {
        guard let text = try? FileIO.readString(path) else { return false }
        return text.contains("when initializing kerndat") || text.contains("Could not initialize kernel features")
    }

    /// `Error (criu/sk-inet.c:190): inet: Connected TCP socket, ...` → `inet: Connected TCP socket, ...`.
    static func message(_ line: Substring) -> String? {
        guard let range = line.firstRange(of: "Error (") else { return nil }
        let rest = line[range.upperBound...]
        guard let close = rest.firstRange(of: "): ") else { return String(rest) }
        return String(rest[close.upperBound...])
    }
}
