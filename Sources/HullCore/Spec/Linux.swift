/// The Linux-specific configuration (`linux`).
public struct Linux: Codable, Equatable, Sendable {
    /// User namespace mappings; need a `user` entry in `namespaces`.
    public var uidMappings: [LinuxIDMapping]?
    public var gidMappings: [LinuxIDMapping]?
    /// Kernel parameters to set in the container, such as "net.ipv4.ip_forward".
    public var sysctl: [String: String]?
    /// cgroup limits.
    public var resources: LinuxResources?
    /// The container's cgroup, relative to the cgroup mount (or "slice:prefix:name" with systemd).
    public var cgroupsPath: String?
    /// Namespaces to create (no `path`) or join (`path`).
    public var namespaces: [LinuxNamespace]?
    /// Device nodes to create in the container.
    public var devices: [LinuxDevice]?
    /// Host network interfaces to move into the container, keyed by host name.
    public var netDevices: [String: LinuxNetDevice]?
    public var seccomp: LinuxSeccomp?
    /// The propagation of the rootfs mount: (r)shared, (r)slave, (r)private or (r)unbindable.
    public var rootfsPropagation: String?
    /// Paths covered so the container cannot read them.
    public var maskedPaths: [String]?
    /// Paths remounted read-only.
    public var readonlyPaths: [String]?
    /// The SELinux context of the container's mounts.
    public var mountLabel: String?
    public var intelRdt: LinuxIntelRdt?
    /// The NUMA memory policy, as for set_mempolicy(2).
    public var memoryPolicy: LinuxMemoryPolicy?
    public var personality: LinuxPersonality?
    /// Clock offsets of a new time namespace, keyed by clock ("monotonic", "boottime").
    public var timeOffsets: [String: LinuxTimeOffset]?

    public init(
        uidMappings: [LinuxIDMapping]? = nil,
        gidMappings: [LinuxIDMapping]? = nil,
        sysctl: [String: String]? = nil,
        resources: LinuxResources? = nil,
        cgroupsPath: String? = nil,
        namespaces: [LinuxNamespace]? = nil,
        devices: [LinuxDevice]? = nil,
        netDevices: [String: LinuxNetDevice]? = nil,
        seccomp: LinuxSeccomp? = nil,
        rootfsPropagation: String? = nil,
        maskedPaths: [String]? = nil,
        readonlyPaths: [String]? = nil,
        mountLabel: String? = nil,
        intelRdt: LinuxIntelRdt? = nil,
        memoryPolicy: LinuxMemoryPolicy? = nil,
        personality: LinuxPersonality? = nil,
        timeOffsets: [String: LinuxTimeOffset]? = nil
    ) {
        self.uidMappings = uidMappings
        self.gidMappings = gidMappings
        self.sysctl = sysctl
        self.resources = resources
        self.cgroupsPath = cgroupsPath
        self.namespaces = namespaces
        self.devices = devices
        self.netDevices = netDevices
        self.seccomp = seccomp
        self.rootfsPropagation = rootfsPropagation
        self.maskedPaths = maskedPaths
        self.readonlyPaths = readonlyPaths
        self.mountLabel = mountLabel
        self.intelRdt = intelRdt
        self.memoryPolicy = memoryPolicy
        self.personality = personality
        self.timeOffsets = timeOffsets
    }

    /// The `namespaces` entry of type `type`, if any (validation rejects duplicates).
    public func namespace(_ type: LinuxNamespaceType) -> LinuxNamespace? {
        namespaces?.first { $0.type == type }
    }

    /// The values `rootfsPropagation` accepts.
    public static let knownRootfsPropagations = [
        "shared", "rshared", "slave", "rslave", "private", "rprivate", "unbindable", "runbindable",
    ]
}
