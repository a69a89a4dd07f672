/// The offset of one clock in a new time namespace (`linux.timeOffsets.monotonic`, `.boottime`).
public struct LinuxTimeOffset: Codable, Equatable, Sendable {
    public var secs: Int64?
    /// Added to `secs`; below one second.
    public var nanosecs: UInt32?

    public init(secs: Int64? = nil, nanosecs: UInt32? = nil) {
        self.secs = secs
        self.nanosecs = nanosecs
    }

    /// The clocks a time namespace offsets (time_namespaces(7)).
    public static let knownClocks = ["monotonic", "boottime"]
}
