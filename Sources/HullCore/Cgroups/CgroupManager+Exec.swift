#if canImport(Glibc)
import Glibc
#endif

/// Placing an exec'd process in the container's cgroup, or in an existing sub-cgroup of it
/// (`exec --cgroup [<controllers>:]<path>`, as runc).
extension CgroupManager {
    /// The container's cgroup with `subCgroups` applied: a path alone applies to every
    /// hierarchy; `cpu,memory:path` (cgroup v1) only to the hierarchies of those controllers.
    func subCgroup(_ subCgroups: [String]) throws -> CgroupManager {
        var paths = self.paths
        for entry in subCgroups {
            let (controllers, sub) = Self.splitSubCgroup(entry)
            let relative = Path.clean("/" + sub)
            guard relative != "/" else { throw HullError("--cgroup \(entry): empty sub-cgroup path") }
            let keys = try hierarchies(for: controllers, entry: entry)
            for key in keys { paths[key] = Path.clean(self.paths[key]! + relative) }
        }
        for dir in paths.values.sorted() where !FileIO.isDirectory(dir) {
            throw HullError("--cgroup: sub-cgroup \(dir) does not exist")
        }
        return CgroupManager(paths: paths)
    }

    /// Moves `pid` into the cgroup of each hierarchy in `keys` (default: every hierarchy).
    func join(pid: Int32, keys: [String]? = nil) throws {
        for key in keys ?? paths.keys.sorted() {
            try FileIO.write("\(pid)", to: paths[key]! + "/cgroup.procs")
        }
    }

    private static func splitSubCgroup(_ entry: String) -> (controllers: [String]?, path: String) {
        guard let colon = entry.firstIndex(of: ":") else { return (nil, entry) }
        let names = entry[..<colon].split(separator: ",").map(String.init)
        return (names, String(entry[entry.index(after: colon)...]))
    }

    private func hierarchies(for controllers: [String]?, entry: String) throws -> [String] {
        guard let controllers else { return Array(paths.keys) }
        guard !isUnified else { throw HullError("--cgroup \(entry): controllers can only be named on cgroup v1") }
        let keys = paths.keys.filter { key in key.split(separator: ",").contains { controllers.contains(String($0)) } }
        guard !keys.isEmpty else { throw HullError("--cgroup \(entry): no such cgroup controller") }
        return keys
    }
}
