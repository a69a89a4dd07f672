/// The two log formats of runc's `--log-format`.
public enum LogFormat: String, Sendable, CaseIterable {
    /// logrus TextFormatter as written to a file: `time="..." level=error msg="..."`.
    case text
    /// logrus JSONFormatter: `{"level":"error","msg":"...","time":"..."}`.
    case json

    /// Parses a `--log-format` value; anything but `text` or `json` is an error naming the flag.
    public init(parsing value: String) throws {
        guard let format = LogFormat(rawValue: value) else {
            throw HullError("--log-format: invalid value \"\(value)\" (expected text or json)")
        }
        self = format
    }
}
