/// `process.landlock`: a Landlock ruleset for the process, as proposed for the runtime spec in
/// opencontainers/runtime-spec pull requests #1111 and #1241 (see docs/landlock.md for the exact
/// revision hull implements). Not part of a released runtime-spec.
public struct Landlock: Codable, Equatable, Sendable {
    /// The access rights the ruleset handles: what no rule allows is denied.
    public var ruleset: LandlockRuleset?
    /// What is allowed, beneath paths and on TCP ports.
    public var rules: LandlockRules?
    /// false (the default): rights the kernel's Landlock ABI lacks are dropped; true: they fail
    /// the container.
    public var disableBestEffort: Bool?

    public init(ruleset: LandlockRuleset? = nil, rules: LandlockRules? = nil, disableBestEffort: Bool? = nil) {
        self.ruleset = ruleset
        self.rules = rules
        self.disableBestEffort = disableBestEffort
    }
}

public struct LandlockRuleset: Codable, Equatable, Sendable {
    /// File-system rights: "execute", "write_file", "read_file", ... (LandlockAccess.fileSystem).
    public var handledAccessFS: [String]?
    /// Network rights: "bind_tcp", "connect_tcp" (LandlockAccess.network).
    public var handledAccessNetwork: [String]?

    public init(handledAccessFS: [String]? = nil, handledAccessNetwork: [String]? = nil) {
        self.handledAccessFS = handledAccessFS
        self.handledAccessNetwork = handledAccessNetwork
    }
}

public struct LandlockRules: Codable, Equatable, Sendable {
    public var pathBeneath: [LandlockPathBeneath]?
    public var netPort: [LandlockNetPort]?

    public init(pathBeneath: [LandlockPathBeneath]? = nil, netPort: [LandlockNetPort]? = nil) {
        self.pathBeneath = pathBeneath
        self.netPort = netPort
    }
}

/// File-system rights allowed on the file hierarchies beneath `paths` (paths in the container).
public struct LandlockPathBeneath: Codable, Equatable, Sendable {
    public var allowedAccess: [String]?
    public var paths: [String]?

    public init(allowedAccess: [String]? = nil, paths: [String]? = nil) {
        self.allowedAccess = allowedAccess
        self.paths = paths
    }
}

/// Network rights allowed on TCP `ports`.
public struct LandlockNetPort: Codable, Equatable, Sendable {
    public var allowedAccess: [String]?
    public var ports: [UInt64]?

    public init(allowedAccess: [String]? = nil, ports: [UInt64]? = nil) {
        self.allowedAccess = allowedAccess
        self.ports = ports
    }
}

/// The Landlock access rights by name, with their kernel bit and the ABI version that
/// introduced them (<linux/landlock.h>).
public enum LandlockAccess {
    public struct Right: Sendable {
        public let name: String
        public let bit: UInt64
        public let abi: Int
    }

    public static let fileSystem: [Right] = [
        Right(name: "execute", bit: 1 << 0, abi: 1),
        Right(name: "write_file", bit: 1 << 1, abi: 1),
        Right(name: "read_file", bit: 1 << 2, abi: 1),
        Right(name: "read_dir", bit: 1 << 3, abi: 1),
        Right(name: "remove_dir", bit: 1 << 4, abi: 1),
        Right(name: "remove_file", bit: 1 << 5, abi: 1),
        Right(name: "make_char", bit: 1 << 6, abi: 1),
        Right(name: "make_dir", bit: 1 << 7, abi: 1),
        Right(name: "make_reg", bit: 1 << 8, abi: 1),
        Right(name: "make_sock", bit: 1 << 9, abi: 1),
        Right(name: "make_fifo", bit: 1 << 10, abi: 1),
        Right(name: "make_block", bit: 1 << 11, abi: 1),
        Right(name: "make_sym", bit: 1 << 12, abi: 1),
        Right(name: "refer", bit: 1 << 13, abi: 2),
        Right(name: "truncate", bit: 1 << 14, abi: 3),
        Right(name: "ioctl_dev", bit: 1 << 15, abi: 5),
    ]

    public static let network: [Right] = [
        Right(name: "bind_tcp", bit: 1 << 0, abi: 4),
        Right(name: "connect_tcp", bit: 1 << 1, abi: 4),
    ]

    static func right(_ name: String, in rights: [Right]) -> Right? {
        rights.first { $0.name == name }
    }
}
