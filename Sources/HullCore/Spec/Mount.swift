/// One entry of `mounts`.
public struct Mount: Codable, Equatable, Sendable {
    /// Where the mount goes inside the container. REQUIRED; hull requires an absolute path.
    public var destination: String
    /// The filesystem type ("proc", "tmpfs", ...); a dummy such as "none" for bind mounts.
    public var type: String?
    /// A device, a host path for bind mounts, or a dummy such as "proc".
    public var source: String?
    /// fstab-style options: mount(8) flags, propagation, `idmap`/`ridmap`, and filesystem data.
    public var options: [String]?
    /// ID-mapped mount: how file owners map from the source to the mount point.
    public var uidMappings: [LinuxIDMapping]?
    public var gidMappings: [LinuxIDMapping]?

    public init(
        destination: String = "",
        type: String? = nil,
        source: String? = nil,
        options: [String]? = nil,
        uidMappings: [LinuxIDMapping]? = nil,
        gidMappings: [LinuxIDMapping]? = nil
    ) {
        self.destination = destination
        self.type = type
        self.source = source
        self.options = options
        self.uidMappings = uidMappings
        self.gidMappings = gidMappings
    }
}
