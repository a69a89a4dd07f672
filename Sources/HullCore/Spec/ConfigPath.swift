/// The spelling of a place in config.json in error messages: `linux.namespaces[2].type`,
/// `linux.sysctl["net.ipv4.ip_forward"]`.
enum ConfigPath {
    /// The path of a coding path, as `JSONDecoder` (or `JSONValueDecoder`) reports it.
    static func format(_ codingPath: [any CodingKey]) -> String {
        var path = ""
        for key in codingPath {
            if let index = key.intValue, key.stringValue == "Index \(index)" {
                path += "[\(index)]"
            } else {
                path = appending(key.stringValue, to: path)
            }
        }
        return path
    }

    /// `path` followed by the member `key`: `.key` for a plain name, `["key"]` for a map key
    /// that is not one (dots, slashes...), so that the path stays unambiguous.
    static func appending(_ key: String, to path: String) -> String {
        if isPlainName(key) { return path.isEmpty ? key : path + "." + key }
        return path + "[" + JSONQuote.quoted(key) + "]"
    }

    private static func isPlainName(_ key: String) -> Bool {
        guard let first = key.utf8.first, !(first >= 48 && first <= 57) else { return false }
        return key.utf8.allSatisfy { byte in
            (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) || byte == 95
        }
    }
}
