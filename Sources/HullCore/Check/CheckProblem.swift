/// One finding of `hull check`: an error makes `create` fail; a warning is what `create` would
/// only warn about (and then do without).
public struct CheckProblem: Codable, Equatable, Sendable {
    public enum Severity: String, Codable, Sendable { case error, warning }

    public var severity: Severity
    /// The config.json field path ("linux.namespaces[5].type"), or "config.json" for the file.
    public var field: String
    public var message: String

    public init(_ severity: Severity, field: String, _ message: String) {
        self.severity = severity
        self.field = field
        self.message = message
    }

    /// A one-line error of hull's ("config.json: process.args: must not be empty") as a problem.
    init(_ severity: Severity, _ error: HullError) {
        let text = error.message.dropPrefix(SpecDecodingError.prefix)
        if let colon = text.firstRange(of: ": ") {
            self.init(severity, field: String(text[..<colon.lowerBound]), String(text[colon.upperBound...]))
        } else {
            self.init(severity, field: "config.json", text)
        }
    }

    /// `error: linux.namespaces[5].type: the kernel has no time namespace`.
    public var line: String { "\(severity.rawValue): \(field): \(message)" }
}
