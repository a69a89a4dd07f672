/// `linux.cgroupsPath` under the systemd driver: "slice:prefix:name" names the transient unit
/// `prefix-name.scope` in `slice` (runc's rules, docs/systemd-cgroup.md):
/// - an empty cgroupsPath is ":hull:ID" (runc's is ":runc:ID");
/// - an empty slice is `system.slice`; empty prefix and name stay empty ("-name.scope");
/// - a name ending in ".slice" is the unit itself (a slice, not a scope; the prefix is ignored);
/// - a slice's dashes name its parents: `a-b.slice` is `/a.slice/a-b.slice`, and `-.slice` is
///   the root.
struct SystemdUnitName: Equatable, Sendable {
    static let defaultSlice = "system.slice"
    static let defaultPrefix = "hull"

    /// The parent slice (`Slice=` of a scope).
    var slice: String
    /// The unit: "prefix-name.scope", or a name ending in ".slice".
    var unit: String
    /// The name part of cgroupsPath (for the Description).
    var name: String
    /// The unit's cgroup below the cgroup root, "/system.slice/hull-web.scope".
    var cgroup: String

    var isSlice: Bool { unit.hasSuffix(".slice") }

    private static let field = "config.json: linux.cgroupsPath: "

    init(cgroupsPath: String?, id: String) throws {
        let text = cgroupsPath ?? ""
        let parts: [String]
        if text.isEmpty {
            parts = ["", Self.defaultPrefix, id]
        } else {
            parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3 else {
                throw HullError(Self.field + "expected \"slice:prefix:name\" with the systemd cgroup driver, got \(quoted(text))")
            }
        }
        slice = parts[0].isEmpty ? Self.defaultSlice : parts[0]
        name = parts[2]
        unit = name.hasSuffix(".slice") ? name : parts[1] + "-" + name + ".scope"
        for (label, part) in [("prefix", parts[1]), ("name", parts[2])] where part.contains("/") {
            throw HullError(Self.field + "the \(label) \(quoted(part)) must not contain \"/\"")
        }
        let slicePath = try Self.expand(slice: slice)
        cgroup = Path.clean(slicePath + "/" + unit)
    }

    /// runc's ExpandSlice: "a-b.slice" -> "/a.slice/a-b.slice"; "-.slice" -> "/".
    static func expand(slice: String) throws -> String {
        let suffix = ".slice"
        let invalid = HullError(field + "invalid slice name \(quoted(slice)) (a NAME.slice without \"/\", dashes name parent slices)")
        guard slice.count > suffix.count, slice.hasSuffix(suffix), !slice.contains("/") else {
            throw invalid
        }
        let base = String(slice.dropLast(suffix.count))
        if base == "-" { return "/" }
        var path = ""
        var prefix = ""
        for component in base.split(separator: "-", omittingEmptySubsequences: false) {
            guard !component.isEmpty else { throw invalid }
            path += "/" + prefix + component + suffix
            prefix += component + "-"
        }
        return path
    }
}
