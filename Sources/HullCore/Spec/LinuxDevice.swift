/// A device node to create in the container (`linux.devices[]`).
public struct LinuxDevice: Codable, Equatable, Sendable {
    /// Where the node goes in the container: absolute. REQUIRED.
    public var path: String
    /// "c" (character), "b" (block), "u" (unbuffered character) or "p" (FIFO). REQUIRED.
    public var type: String
    /// Required unless `type` is "p"; a missing value decodes as 0, as in Go.
    public var major: Int64
    public var minor: Int64
    /// Permission bits (os.FileMode in Go: the type bits are ignored).
    public var fileMode: UInt32?
    public var uid: UInt32?
    public var gid: UInt32?

    public init(
        path: String = "",
        type: String = "c",
        major: Int64 = 0,
        minor: Int64 = 0,
        fileMode: UInt32? = nil,
        uid: UInt32? = nil,
        gid: UInt32? = nil
    ) {
        self.path = path
        self.type = type
        self.major = major
        self.minor = minor
        self.fileMode = fileMode
        self.uid = uid
        self.gid = gid
    }

    /// The values `type` accepts.
    public static let knownTypes = ["c", "b", "u", "p"]

    private enum CodingKeys: String, CodingKey {
        case path, type, major, minor, fileMode, uid, gid
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        path = try c.decode(String.self, forKey: .path)
        type = try c.decode(String.self, forKey: .type)
        major = try c.decodeIfPresent(Int64.self, forKey: .major) ?? 0
        minor = try c.decodeIfPresent(Int64.self, forKey: .minor) ?? 0
        fileMode = try c.decodeIfPresent(UInt32.self, forKey: .fileMode)
        uid = try c.decodeIfPresent(UInt32.self, forKey: .uid)
        gid = try c.decodeIfPresent(UInt32.self, forKey: .gid)
    }
}
