#if canImport(Glibc)
import Glibc
#endif

/// The cgroup hierarchies of this host and where the calling process sits in each, read from
/// /proc/self/mountinfo and /proc/self/cgroup. Keys are runc's: a v1 controller list as the
/// kernel names it ("memory", "cpu", "name=systemd"), and "" for the unified (v2) hierarchy.
struct CgroupHierarchies: Equatable {
    enum Mode: String { case unified, legacy, hybrid }

    /// key -> mount point of the hierarchy.
    var mountPoints: [String: String]
    /// key -> the caller's own cgroup in the hierarchy ("/process_api/x").
    var ownCgroups: [String: String]

    var mode: Mode {
        let hasV1 = mountPoints.keys.contains { !$0.isEmpty }
        let hasV2 = mountPoints[""] != nil
        return hasV1 ? (hasV2 ? .hybrid : .legacy) : .unified
    }

    static func current() throws -> CgroupHierarchies {
        let mountinfo = try FileIO.readString("/proc/self/mountinfo")
        let cgroup = try FileIO.readString("/proc/self/cgroup")
        return CgroupHierarchies(mountinfo: mountinfo, procCgroup: cgroup)
    }

    init(mountinfo: String, procCgroup: String) {
        mountPoints = Self.parseMounts(mountinfo)
        ownCgroups = Self.parseOwn(procCgroup)
    }

    /// mountinfo: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTS"
    private static func parseMounts(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard let dash = fields.firstIndex(of: "-"), dash + 3 < fields.count, fields.count > 4 else { continue }
            let fstype = fields[dash + 1], mountPoint = String(fields[4])
            if fstype == "cgroup2" {
                if result[""] == nil { result[""] = mountPoint }
            } else if fstype == "cgroup" {
                let key = fields[dash + 3].split(separator: ",")
                    .filter { $0 != "rw" && $0 != "ro" && !$0.hasPrefix("xattr") && !$0.hasPrefix("release_agent") && $0 != "clone_children" && $0 != "noprefix" && $0 != "cpuset_v2_mode" && $0 != "nsdelegate" }
                    .joined(separator: ",")
                if !key.isEmpty, result[key] == nil { result[key] = mountPoint }
            }
        }
        return result
    }

    /// /proc/self/cgroup: "ID:CONTROLLERS:PATH"; the unified hierarchy has ID 0 and no controllers.
    private static func parseOwn(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            result[String(parts[1])] = String(parts[2])
        }
        return result
    }
}
