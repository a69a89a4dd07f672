/// String literals as Go writes them, since engines compare hull's output with runc's:
/// `quoted` is encoding/json's (JSON output, field names in errors), `goQuoted` is
/// strconv.Quote's, `%q` (log text, IDs in errors). Both keep a message on one line.
public enum JSONQuote {
    /// `s` as a JSON string literal, quotes included, escaped as Go's encoding/json does
    /// (including `<`, `>`, `&`, U+2028 and U+2029).
    public static func quoted(_ s: String) -> String {
        if s.utf8.allSatisfy(needsNoEscape) { return "\"" + s + "\"" }
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{00}"..."\u{1F}", "<", ">", "&", "\u{2028}", "\u{2029}":
                out += "\\u" + hex(scalar.value, digits: 4)
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Printable ASCII that `quoted` copies as it is (U+2028 and U+2029 are not ASCII).
    private static func needsNoEscape(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"): false
        default: byte >= 0x20 && byte < 0x80
        }
    }

    /// Go's `strconv.Quote` for the characters a message can contain: C escapes for control
    /// characters, `\xNN` for other ASCII controls, `\uNNNN` for C1 controls and U+2028/U+2029.
    public static func goQuoted(_ value: String) -> String {
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
