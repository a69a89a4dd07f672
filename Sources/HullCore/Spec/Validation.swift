/// The rules config.json must follow beyond its JSON types: those of the runtime-spec, and
/// those runc's validator applies that can be decided from the config alone (without looking
/// at the host). docs/config-validation.md lists them all; keep it in step.
///
/// Each broken rule is reported as `config.json: <field path>: <problem>`; `validate()` throws
/// the first it finds, checking the namespaces first (many rules depend on them), then the
/// fields in config.json order.
extension Spec {
    public func validate() throws {
        try validateVersion()
        try validateRoot()
        let namespaces = try NamespaceIndex(linux?.namespaces)
        if let process { try process.validate(namespaces: namespaces) }
        try validateUTSFields(namespaces)
        try validateMounts(namespaces)
        if let hooks { try hooks.validate() }
        try validateAnnotations()
        if let linux { try linux.validate(namespaces: namespaces) }
    }

    /// The major versions hull reads: runtime-spec 1.x (1.0 to 1.3 and later minors, which
    /// are backwards compatible by SemVer).
    public static let supportedMajorVersion = 1

    private func validateVersion() throws {
        guard !ociVersion.isEmpty else { throw invalid("ociVersion", "must not be empty") }
        guard let major = SemanticVersion.major(of: ociVersion) else {
            throw invalid("ociVersion", "invalid version \(quoted(ociVersion)) (expected SemVer such as \"1.3.0\")")
        }
        guard major == Spec.supportedMajorVersion else {
            throw invalid("ociVersion", "unsupported version \(quoted(ociVersion)) (hull supports 1.x)")
        }
    }

    private func validateRoot() throws {
        guard let root else { throw invalid("root", "required field missing") }
        guard !root.path.isEmpty else { throw invalid("root.path", "must not be empty") }
        try requireNoNUL(root.path, at: "root.path")
    }

    /// runc refuses to set names it could only set on the host.
    private func validateUTSFields(_ namespaces: NamespaceIndex) throws {
        if let hostname, !hostname.isEmpty, !namespaces.has(.uts) {
            throw invalid("hostname", namespaces.missing(.uts))
        }
        if let domainname, !domainname.isEmpty, !namespaces.has(.uts) {
            throw invalid("domainname", namespaces.missing(.uts))
        }
    }

    private func validateAnnotations() throws {
        guard let annotations else { return }
        if annotations.keys.contains("") {
            throw invalid(ConfigPath.appending("", to: "annotations"), "key must not be empty")
        }
    }
}

// MARK: helpers shared by the validation files

/// A broken rule: `config.json: <path>: <problem>`.
func invalid(_ path: String, _ problem: String) -> HullError {
    HullError(SpecDecodingError.prefix + path + ": " + problem)
}

/// `s` in double quotes, escaped so the message stays on one line.
func quoted(_ s: String) -> String {
    JSONQuote.quoted(s)
}

/// `items` as `"a", "b" or "c"`, for messages listing the accepted values.
func alternatives(_ items: [String]) -> String {
    let quotedItems = items.map(quoted)
    guard quotedItems.count > 1, let last = quotedItems.last else { return quotedItems.first ?? "" }
    return quotedItems.dropLast().joined(separator: ", ") + " or " + last
}

/// Paths inside the container and on the host must be absolute (and free of NUL bytes,
/// which the kernel would silently cut them at).
func requireAbsolute(_ path: String, at field: String) throws {
    guard !path.isEmpty else { throw invalid(field, "must not be empty") }
    guard path.hasPrefix("/") else { throw invalid(field, "must be an absolute path, got \(quoted(path))") }
    try requireNoNUL(path, at: field)
}

func requireNoNUL(_ value: String, at field: String) throws {
    if value.utf8.contains(0) { throw invalid(field, "must not contain a NUL byte") }
}

/// `value` must be one of `known`.
func requireKnown(_ value: String, in known: [String], at field: String, what: String) throws {
    guard known.contains(value) else { throw invalid(field, "unknown \(what) \(quoted(value))") }
}

/// The namespaces of `linux.namespaces`, indexed by type, for the rules that depend on them.
struct NamespaceIndex {
    private var entries: [LinuxNamespaceType: (index: Int, path: String?)] = [:]

    /// Indexes `namespaces`, refusing duplicate types and relative paths.
    init(_ namespaces: [LinuxNamespace]?) throws {
        for (index, namespace) in (namespaces ?? []).enumerated() {
            let field = "linux.namespaces[\(index)]"
            guard entries[namespace.type] == nil else {
                throw invalid(field + ".type", "duplicate namespace type \(quoted(namespace.type.rawValue))")
            }
            // An empty path is an absent one (Go's omitempty cannot tell them apart).
            let path = namespace.path.flatMap { $0.isEmpty ? nil : $0 }
            if let path { try requireAbsolute(path, at: field + ".path") }
            entries[namespace.type] = (index, path)
        }
    }

    func has(_ type: LinuxNamespaceType) -> Bool { entries[type] != nil }

    /// The namespace file to join, if the entry of `type` has one.
    func joinPath(_ type: LinuxNamespaceType) -> String? { entries[type]?.path }

    /// Whether the container gets a new namespace of `type` (listed, no path).
    func isNew(_ type: LinuxNamespaceType) -> Bool { has(type) && joinPath(type) == nil }

    /// `linux.namespaces[i]` for the entry of `type`.
    func field(_ type: LinuxNamespaceType) -> String {
        entries[type].map { "linux.namespaces[\($0.index)]" } ?? "linux.namespaces"
    }

    /// The problem of a field that needs a namespace of `type` that is not listed.
    func missing(_ type: LinuxNamespaceType) -> String {
        "requires \(type == .ipc ? "an" : "a") \(quoted(type.rawValue)) entry in linux.namespaces"
    }
}

/// Just enough SemVer 2.0.0 to check `ociVersion`.
enum SemanticVersion {
    /// The major version of `version` if it is valid SemVer (MAJOR.MINOR.PATCH, optional
    /// -prerelease and +build), nil otherwise.
    static func major(of version: String) -> Int? {
        var rest = Substring(version)
        if let plus = rest.firstIndex(of: "+") {
            guard isIdentifierList(rest[rest.index(after: plus)...]) else { return nil }
            rest = rest[..<plus]
        }
        if let dash = rest.firstIndex(of: "-") {
            guard isIdentifierList(rest[rest.index(after: dash)...]) else { return nil }
            rest = rest[..<dash]
        }
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy(isNumber) else { return nil }
        return Int(parts[0])
    }

    /// A number without leading zeros.
    private static func isNumber(_ part: Substring) -> Bool {
        guard !part.isEmpty, part.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return false }
        return part == "0" || part.first != "0"
    }

    /// Dot-separated, non-empty identifiers of [0-9A-Za-z-].
    private static func isIdentifierList(_ text: Substring) -> Bool {
        let identifiers = text.split(separator: ".", omittingEmptySubsequences: false)
        return identifiers.allSatisfy { identifier in
            !identifier.isEmpty && identifier.utf8.allSatisfy { byte in
                (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 45
            }
        }
    }
}
