/// A range of user or group IDs mapped between the container and the host
/// (`linux.uidMappings[]`, `linux.gidMappings[]`, `mounts[].uidMappings[]`...).
public struct LinuxIDMapping: Codable, Equatable, Sendable {
    /// The first ID in the container. REQUIRED.
    public var containerID: UInt32
    /// The first ID on the host. REQUIRED.
    public var hostID: UInt32
    /// How many IDs the range holds. REQUIRED, greater than zero.
    public var size: UInt32

    public init(containerID: UInt32 = 0, hostID: UInt32 = 0, size: UInt32 = 0) {
        self.containerID = containerID
        self.hostID = hostID
        self.size = size
    }
}

extension LinuxIDMapping {
    /// Whether `id`, an ID in the container, falls in this range.
    func mapsContainerID(_ id: UInt32) -> Bool {
        id >= containerID && UInt64(id) < UInt64(containerID) + UInt64(size)
    }
}
