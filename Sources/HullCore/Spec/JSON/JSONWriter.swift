/// Writes a `JSONValue` as indented text, members in the order the tree holds them.
///
/// The layout is Go's `json.MarshalIndent` (what runc writes): `"key": value`, one member or
/// element per line, `[]` and `{}` for empty containers, and a final newline.
enum JSONWriter {
    static func write(_ value: JSONValue, indent: String = "  ") -> String {
        var out = ""
        append(value, to: &out, indent: indent, level: 0)
        out += "\n"
        return out
    }

    private static func append(_ value: JSONValue, to out: inout String, indent: String, level: Int) {
        switch value {
        case .null: out += "null"
        case .bool(let bool): out += bool ? "true" : "false"
        case .number(let literal): out += literal
        case .string(let string): out += JSONQuote.quoted(string)
        case .array(let elements):
            guard !elements.isEmpty else { out += "[]"; return }
            out += "["
            for (index, element) in elements.enumerated() {
                out += index == 0 ? "\n" : ",\n"
                pad(&out, indent: indent, level: level + 1)
                append(element, to: &out, indent: indent, level: level + 1)
            }
            out += "\n"
            pad(&out, indent: indent, level: level)
            out += "]"
        case .object(let members):
            guard !members.isEmpty else { out += "{}"; return }
            out += "{"
            for (index, member) in members.enumerated() {
                out += index == 0 ? "\n" : ",\n"
                pad(&out, indent: indent, level: level + 1)
                out += JSONQuote.quoted(member.key) + ": "
                append(member.value, to: &out, indent: indent, level: level + 1)
            }
            out += "\n"
            pad(&out, indent: indent, level: level)
            out += "}"
        }
    }

    private static func pad(_ out: inout String, indent: String, level: Int) {
        for _ in 0..<level { out += indent }
    }
}
