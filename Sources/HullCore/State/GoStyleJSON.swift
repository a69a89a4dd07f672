/// JSON text byte-for-byte as Go's `encoding/json` writes it, for output that engines and users
/// compare with runc's: `json.Marshal` (compact), `json.MarshalIndent(v, "", "  ")` (indented),
/// object keys in the order given, and Go's string escaping (`<`, `>`, `&`, U+2028 and U+2029 as
/// `\u003c` etc., other control characters as `\u00XX`).
public enum GoStyleJSON {
    /// A JSON value whose objects keep their key order.
    public indirect enum Value: Equatable, Sendable {
        case null
        case bool(Bool)
        case int(Int64)
        case string(String)
        case array([Value])
        case object([(String, Value)])

        public static func == (lhs: Value, rhs: Value) -> Bool {
            GoStyleJSON.compact(lhs) == GoStyleJSON.compact(rhs)
        }

        /// An object from a string map, keys sorted as Go sorts map keys (by bytes).
        public static func sortedObject(_ map: [String: String]) -> Value {
            .object(map.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
                .map { ($0.key, .string($0.value)) })
        }
    }

    /// `json.Marshal` output.
    public static func compact(_ value: Value) -> String {
        var out = ""
        write(value, into: &out, indent: nil, depth: 0)
        return out
    }

    /// `json.MarshalIndent(value, "", "  ")` output (no trailing newline).
    public static func indented(_ value: Value) -> String {
        var out = ""
        write(value, into: &out, indent: "  ", depth: 0)
        return out
    }

    private static func write(_ value: Value, into out: inout String, indent: String?, depth: Int) {
        switch value {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .int(let number): out += String(number)
        case .string(let text): out += JSONQuote.quoted(text)
        case .array(let items):
            writeContainer(open: "[", close: "]", items.map { (nil, $0) }, into: &out, indent: indent, depth: depth)
        case .object(let members):
            writeContainer(open: "{", close: "}", members.map { ($0.0, $0.1) }, into: &out, indent: indent, depth: depth)
        }
    }

    private static func writeContainer(
        open: String, close: String, _ members: [(String?, Value)], into out: inout String, indent: String?, depth: Int
    ) {
        out += open
        guard !members.isEmpty else { return out += close }
        for (index, (key, value)) in members.enumerated() {
            if index > 0 { out += "," }
            if let indent { out += "\n" + String(repeating: indent, count: depth + 1) }
            if let key { out += JSONQuote.quoted(key) + (indent == nil ? ":" : ": ") }
            write(value, into: &out, indent: indent, depth: depth + 1)
        }
        if let indent { out += "\n" + String(repeating: indent, count: depth) }
        out += close
    }
}
