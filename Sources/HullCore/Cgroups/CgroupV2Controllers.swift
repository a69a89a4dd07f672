#if canImport(Glibc)
import Glibc
#endif

/// On a pure cgroup v2 host a controller's files appear in a group only when every ancestor
/// lists it in cgroup.subtree_control. This makes the container's directory, enabling on the
/// way down only the controllers it needs: those its resources use, and the ones `events
/// --stats` reads (cpu, memory, pids, io) where the host has them.
enum CgroupV2Controllers {
    static let forStatistics: Set<String> = ["cpu", "memory", "pids", "io"]

    /// mkdir -p of `dir`, enabling controllers in each ancestor inside the cgroup file system.
    /// Directories made are appended to `created` (for the caller's cleanup).
    static func enable(for resources: LinuxResources?, below dir: String, created: inout [String]) throws {
        let required = CgroupV2Plan.controllers(for: resources)
        let optional = CgroupV2Plan.unifiedControllers(for: resources).union(forStatistics)
        var path = ""
        let components = dir.split(separator: "/")
        for (index, component) in components.enumerated() {
            path += "/" + component
            if mkdir(path, 0o755) == 0 {
                created.append(path)
            } else if errno != EEXIST {
                throw HullError("create cgroup \(path): \(Errno.describe(errno))")
            }
            guard index < components.count - 1, FileIO.exists(path + "/cgroup.subtree_control") else { continue }
            try enable(required: required, optional: optional, in: path)
        }
    }

    private static func enable(required: Set<String>, optional: Set<String>, in parent: String) throws {
        let available = words(parent + "/cgroup.controllers")
        if let missing = required.subtracting(available).sorted().first {
            throw HullError("cgroup: controller \"\(missing)\" is not available on this host")
        }
        let enabled = words(parent + "/cgroup.subtree_control")
        let wanted = required.union(optional.intersection(available)).subtracting(enabled)
        guard !wanted.isEmpty else { return }
        let text = wanted.sorted().map { "+" + $0 }.joined(separator: " ")
        guard CgroupManager.writeFile(parent + "/cgroup.subtree_control", text) != 0 else { return }
        // A parent with processes of its own refuses domain controllers (EBUSY): the ones only
        // wanted for statistics are then done without; the ones the resources need are an error.
        let needed = required.subtracting(enabled)
        guard !needed.isEmpty else { return }
        let neededText = needed.sorted().map { "+" + $0 }.joined(separator: " ")
        let err = CgroupManager.writeFile(parent + "/cgroup.subtree_control", neededText)
        if err != 0 {
            throw HullError("cgroup: enable controllers \(neededText) in \(parent): \(Errno.describe(err))")
        }
    }

    static func words(_ path: String) -> Set<String> {
        Set(((try? FileIO.readString(path)) ?? "").split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
    }
}
