/// Block I/O limits (`linux.resources.blockIO`).
public struct LinuxBlockIO: Codable, Equatable, Sendable {
    /// From 10 to 1000.
    public var weight: UInt16?
    /// From 10 to 1000 (cgroup v1, CFQ only).
    public var leafWeight: UInt16?
    public var weightDevice: [LinuxWeightDevice]?
    /// Bytes per second.
    public var throttleReadBpsDevice: [LinuxThrottleDevice]?
    public var throttleWriteBpsDevice: [LinuxThrottleDevice]?
    /// Operations per second.
    public var throttleReadIOPSDevice: [LinuxThrottleDevice]?
    public var throttleWriteIOPSDevice: [LinuxThrottleDevice]?

    public init(
        weight: UInt16? = nil,
        leafWeight: UInt16? = nil,
        weightDevice: [LinuxWeightDevice]? = nil,
        throttleReadBpsDevice: [LinuxThrottleDevice]? = nil,
        throttleWriteBpsDevice: [LinuxThrottleDevice]? = nil,
        throttleReadIOPSDevice: [LinuxThrottleDevice]? = nil,
        throttleWriteIOPSDevice: [LinuxThrottleDevice]? = nil
    ) {
        self.weight = weight
        self.leafWeight = leafWeight
        self.weightDevice = weightDevice
        self.throttleReadBpsDevice = throttleReadBpsDevice
        self.throttleWriteBpsDevice = throttleWriteBpsDevice
        self.throttleReadIOPSDevice = throttleReadIOPSDevice
        self.throttleWriteIOPSDevice = throttleWriteIOPSDevice
    }

    /// The range `weight` and `leafWeight` must fall in.
    public static let weightRange: ClosedRange<UInt16> = 10...1000
}

/// A per-device weight (`linux.resources.blockIO.weightDevice[]`); at least one weight must be set.
/// `LinuxBlockIODevice` in Go is embedded here as the `major` and `minor` keys.
public struct LinuxWeightDevice: Codable, Equatable, Sendable {
    /// REQUIRED.
    public var major: Int64
    /// REQUIRED.
    public var minor: Int64
    public var weight: UInt16?
    public var leafWeight: UInt16?

    public init(major: Int64 = 0, minor: Int64 = 0, weight: UInt16? = nil, leafWeight: UInt16? = nil) {
        self.major = major
        self.minor = minor
        self.weight = weight
        self.leafWeight = leafWeight
    }
}

/// A per-device rate limit (`linux.resources.blockIO.throttle*Device[]`).
public struct LinuxThrottleDevice: Codable, Equatable, Sendable {
    /// REQUIRED.
    public var major: Int64
    /// REQUIRED.
    public var minor: Int64
    /// Bytes or operations per second. REQUIRED.
    public var rate: UInt64

    public init(major: Int64 = 0, minor: Int64 = 0, rate: UInt64 = 0) {
        self.major = major
        self.minor = minor
        self.rate = rate
    }
}
