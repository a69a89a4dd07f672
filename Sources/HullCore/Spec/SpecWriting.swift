/// Writing config.json.
extension Spec {
    /// The config.json text: pretty-printed with a 2-space indent, keys in runc's order
    /// (the spec's field order), absent fields left out, and a final newline.
    public func prettyJSON() throws -> String {
        try PrettyJSON.encode(self)
    }

    /// Writes `prettyJSON()` to BUNDLE/config.json ("config.json" for a bundle of ""),
    /// refusing to replace an existing file: throws `HullError("BUNDLE/config.json already exists")`,
    /// or `HullError("open BUNDLE/config.json: <reason>")`.
    public func writeConfig(toBundle bundle: String) throws {
        let text = try prettyJSON()
        try ConfigFile.create(ConfigFile.path(inBundle: bundle), bytes: Array(text.utf8))
    }
}
