/// Writes a `JSONValue` as Go's encoding/json does (what runc writes), members in the order the
/// tree holds them: `compact` is `json.Marshal`, `indented` is `json.MarshalIndent(v, "", "  ")`
/// (`"key": value`, one member or element per line, `[]` and `{}` for empty containers).
enum JSONWriter {
    /// Indented, with a final newline (files such as config.json).
    static func write(_ value: JSONValue, indent: String = "  ") -> String {
        indented(value, indent: indent) + "\n"
    }

    static func indented(_ value: JSONValue, indent: String = "  ") -> String {
        var out = ""
        append(value, to: &out, indent: indent, level: 0)
        return out
    }

    static func compact(_ value: JSONValue) -> String {
        var out = ""
        append(value, to: &out, indent: nil, level: 0)
        return out
    }

    private static func append(_ value: JSONValue, to out: inout String, indent: String?, level: Int) {
        switch value {
        case .null: out += "null"
        case .bool(let bool): out += bool ? "true" : "false"
        case .number(let literal): out += literal
        case .string(let string): out += JSONQuote.quoted(string)
        case .array(let elements):
            appendContainer("[", "]", elements.map { (nil, $0) }, to: &out, indent: indent, level: level)
        case .object(let members):
            appendContainer("{", "}", members.map { ($0.key, $0.value) }, to: &out, indent: indent, level: level)
        }
    }

    private static func appendContainer(
        _ open: String, _ close: String, _ items: [(String?, JSONValue)], to out: inout String, indent: String?, level: Int
    ) {
        out += open
        guard !items.isEmpty else { return out += close }
        for (index, (key, value)) in items.enumerated() {
            if index > 0 { out += "," }
            newline(&out, indent: indent, level: level + 1)
            if let key { out += JSONQuote.quoted(key) + (indent == nil ? ":" : ": ") }
            append(value, to: &out, indent: indent, level: level + 1)
        }
        newline(&out, indent: indent, level: level)
        out += close
    }

    private static func newline(_ out: inout String, indent: String?, level: Int) {
        guard let indent else { return }
        out += "\n"
        for _ in 0..<level { out += indent }
    }
}
