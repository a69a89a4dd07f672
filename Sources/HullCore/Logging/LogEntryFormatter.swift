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
            return GoStyleJSON.compact(.sortedObject(members)) + "\n"
        case .text:
            var pairs = [("time", time), ("level", level.name), ("msg", message)]
            pairs += fields.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
                .map { ($0.key, $0.value) }
            return pairs.map { "\($0.0)=\(textValue($0.1))" }.joined(separator: " ") + "\n"
        }
    }

    /// A value as logrus's TextFormatter writes it: bare if every character is safe, else quoted.
    static func textValue(_ value: String) -> String {
        value.unicodeScalars.allSatisfy(isBareSafe) ? value : goQuoted(value)
    }

    private static func isBareSafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "-", ".", "_", "/", "@", "^", "+": true
        default: false
        }
    }

    /// Go's `strconv.Quote` for the characters a message can contain: C escapes for control
    /// characters, `\xNN` for other ASCII controls, `\uNNNN` for C1 controls and U+2028/U+2029.
    static func goQuoted(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0B}": out += "\\v"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + hex(scalar.value, digits: 2)
                } else if (0x80...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}" {
                    out += "\\u" + hex(scalar.value, digits: 4)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
