/// The user the process runs as (`process.user`), as IDs in the container's user namespace.
public struct User: Codable, Equatable, Sendable {
    /// Missing decodes as 0, as in Go and runc (the JSON schema does not require it).
    public var uid: UInt32
    /// Missing decodes as 0, as in Go and runc (the JSON schema does not require it).
    public var gid: UInt32
    /// Unset leaves the umask hull inherited.
    public var umask: UInt32?
    public var additionalGids: [UInt32]?

    public init(uid: UInt32 = 0, gid: UInt32 = 0, umask: UInt32? = nil, additionalGids: [UInt32]? = nil) {
        self.uid = uid
        self.gid = gid
        self.umask = umask
        self.additionalGids = additionalGids
    }

    private enum CodingKeys: String, CodingKey {
        case uid, gid, umask, additionalGids
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        uid = try c.decodeIfPresent(UInt32.self, forKey: .uid) ?? 0
        gid = try c.decodeIfPresent(UInt32.self, forKey: .gid) ?? 0
        umask = try c.decodeIfPresent(UInt32.self, forKey: .umask)
        additionalGids = try c.decodeIfPresent([UInt32].self, forKey: .additionalGids)
    }
}
