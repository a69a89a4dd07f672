/// The NUMA memory policy of the container (`linux.memoryPolicy`), as for set_mempolicy(2).
public struct LinuxMemoryPolicy: Codable, Equatable, Sendable {
    /// One of `LinuxMemoryPolicy.knownModes`. REQUIRED.
    public var mode: String
    /// A node list such as "0-3,7". Required by BIND, INTERLEAVE, WEIGHTED_INTERLEAVE and
    /// PREFERRED_MANY; must be empty for DEFAULT and LOCAL.
    public var nodes: String?
    /// Names from `LinuxMemoryPolicy.knownFlags`.
    public var flags: [String]?

    public init(mode: String = "MPOL_DEFAULT", nodes: String? = nil, flags: [String]? = nil) {
        self.mode = mode
        self.nodes = nodes
        self.flags = flags
    }

    public static let knownModes = [
        "MPOL_DEFAULT", "MPOL_PREFERRED", "MPOL_BIND", "MPOL_INTERLEAVE", "MPOL_LOCAL",
        "MPOL_PREFERRED_MANY", "MPOL_WEIGHTED_INTERLEAVE",
    ]

    public static let knownFlags = ["MPOL_F_NUMA_BALANCING", "MPOL_F_RELATIVE_NODES", "MPOL_F_STATIC_NODES"]
}
