/// The container's root filesystem (`root`).
public struct Root: Codable, Equatable, Sendable {
    /// The rootfs directory: absolute, or relative to the bundle. REQUIRED.
    public var path: String
    /// Mount the rootfs read-only inside the container. Defaults to false.
    public var readonly: Bool?

    public init(path: String = "", readonly: Bool? = nil) {
        self.path = path
        self.readonly = readonly
    }
}
