/// Intel Resource Director Technology settings (`linux.intelRdt`), applied through resctrl.
public struct LinuxIntelRdt: Codable, Equatable, Sendable {
    /// The resctrl group (class of service); "/" is the default group.
    public var closID: String?
    /// Lines written as they are to the group's schemata file, after the two fields below.
    public var schemata: [String]?
    /// "L3:<cache id>=<bitmask>;..."
    public var l3CacheSchema: String?
    /// "MB:<cache id>=<bandwidth>;..."
    public var memBwSchema: String?
    /// Create a monitoring group for the container.
    public var enableMonitoring: Bool?

    public init(
        closID: String? = nil,
        schemata: [String]? = nil,
        l3CacheSchema: String? = nil,
        memBwSchema: String? = nil,
        enableMonitoring: Bool? = nil
    ) {
        self.closID = closID
        self.schemata = schemata
        self.l3CacheSchema = l3CacheSchema
        self.memBwSchema = memBwSchema
        self.enableMonitoring = enableMonitoring
    }
}
