/// The I/O priority of the container's processes (`process.ioPriority`), as for ioprio_set(2).
public struct LinuxIOPriority: Codable, Equatable, Sendable {
    /// One of `LinuxIOPriority.knownClasses`. REQUIRED.
    public var `class`: String
    /// From 0 (highest) to 7 (lowest). Missing decodes as 0 (the JSON schema does not require it).
    public var priority: Int

    public init(class: String = "IOPRIO_CLASS_BE", priority: Int = 0) {
        self.class = `class`
        self.priority = priority
    }

    public static let knownClasses = ["IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE"]

    private enum CodingKeys: String, CodingKey {
        case `class`, priority
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.class = try c.decode(String.self, forKey: .class)
        priority = try c.decodeIfPresent(Int.self, forKey: .priority) ?? 0
    }
}
