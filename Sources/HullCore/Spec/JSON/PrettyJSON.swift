/// Pretty-printed JSON for anything hull writes for people and tools to read.
public enum PrettyJSON {
    /// `value` as JSON text: `"key": value` with `indent` per level, object keys in the order the
    /// type encodes them (declaration order for synthesized `Codable`), dictionaries sorted by
    /// key, nil optionals left out, `/` not escaped, and a final newline.
    public static func encode<T: Encodable>(_ value: T, indent: String = "  ") throws -> String {
        JSONWriter.write(try JSONValueEncoder.encode(value), indent: indent)
    }
}
