/// An error hull reports to its caller: one line, naming the field, argument or step that failed.
///
/// Every failure that reaches the command line is a `HullError`; the CLI prints `message`, writes
/// it to the log, and exits with status 1.
public struct HullError: Error, CustomStringConvertible, Equatable, Sendable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

extension String {
    /// The string without `prefix`, for re-labelling an error message's field path.
    func dropPrefix(_ prefix: String) -> String {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
    }
}
