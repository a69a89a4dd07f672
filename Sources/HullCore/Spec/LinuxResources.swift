/// The cgroup limits of the container (`linux.resources`).
public struct LinuxResources: Codable, Equatable, Sendable {
    /// The device allow/deny list, applied in order.
    public var devices: [LinuxDeviceCgroup]?
    public var memory: LinuxMemory?
    public var cpu: LinuxCPU?
    public var pids: LinuxPids?
    public var blockIO: LinuxBlockIO?
    public var hugepageLimits: [LinuxHugepageLimit]?
    public var network: LinuxNetwork?
    /// RDMA limits keyed by device name.
    public var rdma: [String: LinuxRdma]?
    /// cgroup v2 files written as they are, keyed by file name ("memory.high").
    public var unified: [String: String]?

    public init(
        devices: [LinuxDeviceCgroup]? = nil,
        memory: LinuxMemory? = nil,
        cpu: LinuxCPU? = nil,
        pids: LinuxPids? = nil,
        blockIO: LinuxBlockIO? = nil,
        hugepageLimits: [LinuxHugepageLimit]? = nil,
        network: LinuxNetwork? = nil,
        rdma: [String: LinuxRdma]? = nil,
        unified: [String: String]? = nil
    ) {
        self.devices = devices
        self.memory = memory
        self.cpu = cpu
        self.pids = pids
        self.blockIO = blockIO
        self.hugepageLimits = hugepageLimits
        self.network = network
        self.rdma = rdma
        self.unified = unified
    }
}

/// One rule of the device controller (`linux.resources.devices[]`).
public struct LinuxDeviceCgroup: Codable, Equatable, Sendable {
    /// Allow or deny. REQUIRED.
    public var allow: Bool
    /// "a" (all), "c" or "b"; unset means all.
    public var type: String?
    /// Unset means all majors.
    public var major: Int64?
    /// Unset means all minors.
    public var minor: Int64?
    /// A combination of "r", "w" and "m".
    public var access: String?

    public init(allow: Bool = false, type: String? = nil, major: Int64? = nil, minor: Int64? = nil, access: String? = nil) {
        self.allow = allow
        self.type = type
        self.major = major
        self.minor = minor
        self.access = access
    }

    /// The values `type` accepts.
    public static let knownTypes = ["a", "c", "b"]
}

/// Process-count limit (`linux.resources.pids`).
public struct LinuxPids: Codable, Equatable, Sendable {
    /// The maximum number of tasks; unset, 0 or -1 leave it unlimited.
    public var limit: Int64?

    public init(limit: Int64? = nil) {
        self.limit = limit
    }
}

/// A HugeTLB limit (`linux.resources.hugepageLimits[]`).
public struct LinuxHugepageLimit: Codable, Equatable, Sendable {
    /// The page size, such as "2MB" or "1GB". REQUIRED.
    public var pageSize: String
    /// Bytes. REQUIRED.
    public var limit: UInt64

    public init(pageSize: String = "", limit: UInt64 = 0) {
        self.pageSize = pageSize
        self.limit = limit
    }
}

/// Network classification (`linux.resources.network`): net_cls and net_prio.
public struct LinuxNetwork: Codable, Equatable, Sendable {
    public var classID: UInt32?
    public var priorities: [LinuxInterfacePriority]?

    public init(classID: UInt32? = nil, priorities: [LinuxInterfacePriority]? = nil) {
        self.classID = classID
        self.priorities = priorities
    }
}

/// The priority of traffic on one interface (`linux.resources.network.priorities[]`).
public struct LinuxInterfacePriority: Codable, Equatable, Sendable {
    /// The interface name in the runtime's network namespace. REQUIRED.
    public var name: String
    /// REQUIRED.
    public var priority: UInt32

    public init(name: String = "", priority: UInt32 = 0) {
        self.name = name
        self.priority = priority
    }
}

/// RDMA limits of one device (`linux.resources.rdma.<device>`); at least one must be set.
public struct LinuxRdma: Codable, Equatable, Sendable {
    public var hcaHandles: UInt32?
    public var hcaObjects: UInt32?

    public init(hcaHandles: UInt32? = nil, hcaObjects: UInt32? = nil) {
        self.hcaHandles = hcaHandles
        self.hcaObjects = hcaObjects
    }
}
