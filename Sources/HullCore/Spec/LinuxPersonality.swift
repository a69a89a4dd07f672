/// The execution domain of the process (`linux.personality`), as for personality(2).
public struct LinuxPersonality: Codable, Equatable, Sendable {
    /// "LINUX" or "LINUX32". REQUIRED.
    public var domain: String
    /// No flags are defined by the spec yet.
    public var flags: [String]?

    public init(domain: String = "LINUX", flags: [String]? = nil) {
        self.domain = domain
        self.flags = flags
    }

    public static let knownDomains = ["LINUX", "LINUX32"]
}
