/// One entry of `linux.namespaces`: a namespace to create or, with `path`, to join.
public struct LinuxNamespace: Codable, Equatable, Sendable {
    public var type: LinuxNamespaceType
    /// A namespace file to join, such as /proc/1234/ns/net. Absolute.
    public var path: String?

    public init(type: LinuxNamespaceType, path: String? = nil) {
        self.type = type
        self.path = path
    }
}

/// The Linux namespace kinds, spelled as in config.json.
public enum LinuxNamespaceType: String, Codable, Equatable, Hashable, Sendable, CaseIterable {
    case pid
    case network
    case mount
    case ipc
    case uts
    case user
    case cgroup
    case time

    /// Refuses unknown kinds with a message naming the value (the decode error adds the path).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = try container.decode(String.self)
        guard let type = LinuxNamespaceType(rawValue: name) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "unknown namespace type \(JSONQuote.quoted(name))")
        }
        self = type
    }
}
