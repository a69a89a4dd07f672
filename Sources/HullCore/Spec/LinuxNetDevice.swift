/// A host network interface moved into the container (`linux.netDevices.<host name>`).
public struct LinuxNetDevice: Codable, Equatable, Sendable {
    /// The interface's name in the container; unset keeps the host name.
    public var name: String?

    public init(name: String? = nil) {
        self.name = name
    }
}
