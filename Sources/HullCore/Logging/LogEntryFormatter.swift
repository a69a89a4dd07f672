/// Formats one log entry as one line, byte-compatible with logrus (the logger runc uses), so tools
/// that parse runc's log (containerd reads `"level"` and `"msg"` from the json log) parse hull's.
public enum LogEntryFormatter {
    /// The line for an entry, ending in "\n".
    ///
    /// - json: all keys sorted, as Go encodes a map: `{"level":"error","msg":"boom","time":"..."}`
    ///   (extra `fields` are sorted in among them).
    /// - text: `time="..." level=error msg="boom"` and then the extra fields sorted by key; a value
    ///   is quoted (Go `%q`) unless it consists only of `a-zA-Z0-9-._/@^+`.
    public static func line(
        level: LogLevel, message: String, fields: [String: String] = [:], time: String, format: LogFormat
    ) -> String {
        switch format {
        case .json:
            var members = fields
            members["level"] = level.name
            members["msg"] = message
            members["time"] = time
            return JSONWriter.compact(.sortedObject(members)) + "\n"
        case .text:
            var pairs = [("time", time), ("level", level.name), ("msg", message)]
            pairs += fields.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
                .map { ($0.key, $0.value) }
            return pairs.map { "\($0.0)=\(textValue($0.1))" }.joined(separator: " ") + "\n"
        }
    }

    /// A value as logrus's TextFormatter writes it: bare if every character is safe, else quoted.
    static func textValue(_ value: String) -> String {
        value.unicodeScalars.allSatisfy(isBareSafe) ? value : JSONQuote.goQuoted(value)
    }

    private static func isBareSafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "-", ".", "_", "/", "@", "^", "+": true
        default: false
        }
    }
}
