import CHullShim

/// hull's own version and the versions it implements and links, printed by `hull --version`.
public enum HullVersion {
    /// hull's release version: the VERSION file, which `make build` passes to the shim; "unknown"
    /// in builds that bypass the Makefile (plain `swift build`).
    public static var version: String {
        String(cString: hull_build_version())
    }
    /// The OCI runtime-spec version hull implements.
    public static let specVersion = "1.3.0"

    /// The git commit of the build (`make build` passes it to the shim), or "unknown".
    public static var commit: String {
        String(cString: hull_build_commit())
    }

    /// The libseccomp version hull runs with, read through the shim.
    public static var libseccomp: String {
        var buf = [CChar](repeating: 0, count: 32)
        hull_seccomp_version(&buf, Int32(buf.count))
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
