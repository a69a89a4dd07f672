import CHullShim

/// hull's own version and the versions it implements and links, printed by `hull --version`.
public enum HullVersion {
    /// hull's release version; the Makefile keeps it in step with the VERSION file.
    public static let version = "0.1.0"
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
