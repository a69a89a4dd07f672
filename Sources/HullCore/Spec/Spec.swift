/// The contents of a bundle's config.json: OCI runtime-spec 1.3 for Linux (1.0–1.2 bundles decode too).
///
/// Every type of this model mirrors a Go type of `specs-go` in opencontainers/runtime-spec, with
/// properties named exactly as the JSON keys and declared in the Go field order, which is the
/// order hull writes them in. A property is optional where the spec makes the field optional; a
/// nil property is left out when encoding, like Go's `omitempty`. Unknown keys are ignored.
/// Fields of other platforms (windows, solaris, vm, zos, freebsd) are not modelled.
///
/// Read a bundle with `Spec.load(bundle:)` (decode and validate) or `Spec.decode(_:)` (decode only).
public struct Spec: Codable, Equatable, Sendable {
    /// The runtime-spec version the bundle complies with (SemVer). REQUIRED.
    public var ociVersion: String
    /// The container process. Optional in the spec, but `start` needs one.
    public var process: Process?
    /// The root filesystem. Optional in the JSON; `validate()` requires it on Linux.
    public var root: Root?
    public var hostname: String?
    public var domainname: String?
    /// Mounts in addition to the root, applied in order.
    public var mounts: [Mount]?
    public var hooks: Hooks?
    public var annotations: [String: String]?
    public var linux: Linux?

    public init(
        ociVersion: String = "1.3.0",
        process: Process? = nil,
        root: Root? = nil,
        hostname: String? = nil,
        domainname: String? = nil,
        mounts: [Mount]? = nil,
        hooks: Hooks? = nil,
        annotations: [String: String]? = nil,
        linux: Linux? = nil
    ) {
        self.ociVersion = ociVersion
        self.process = process
        self.root = root
        self.hostname = hostname
        self.domainname = domainname
        self.mounts = mounts
        self.hooks = hooks
        self.annotations = annotations
        self.linux = linux
    }
}
