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

    /// mountinfo: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTS".
    /// Split as UTF-8 bytes, not Characters: this runs on every create, and grapheme breaking
    /// made it cost more than decoding config.json's process section.
    private static func parseMounts(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in Array(text.utf8).split(separator: UInt8(ascii: "\n")) {
            let fields = line.split(separator: UInt8(ascii: " "))
            guard let dash = fields.firstIndex(where: { $0.elementsEqual("-".utf8) }),
                  dash + 3 < fields.count, fields.count > 4 else { continue }
            let fstype = fields[dash + 1]
            if fstype.elementsEqual("cgroup2".utf8) {
                if result[""] == nil { result[""] = String(decoding: fields[4], as: UTF8.self) }
            } else if fstype.elementsEqual("cgroup".utf8) {
                let key = hierarchyKey(superOptions: fields[dash + 3])
                if !key.isEmpty, result[key] == nil { result[key] = String(decoding: fields[4], as: UTF8.self) }
            }
        }
        return result
    }

    /// Super options of a v1 mount that are not controllers (the rest make the hierarchy's key).
    private static let notControllers = ["rw", "ro", "clone_children", "noprefix", "cpuset_v2_mode", "nsdelegate"]
    private static let notControllerPrefixes = ["xattr", "release_agent"]

    /// A v1 hierarchy's key: its super options less those that are not controllers.
    private static func hierarchyKey(superOptions: ArraySlice<UInt8>) -> String {
        var key: [UInt8] = []
        for option in superOptions.split(separator: UInt8(ascii: ",")) {
            guard !notControllers.contains(where: { option.elementsEqual($0.utf8) }),
                  !notControllerPrefixes.contains(where: { option.starts(with: $0.utf8) }) else { continue }
            if !key.isEmpty { key.append(UInt8(ascii: ",")) }
            key.append(contentsOf: option)
        }
        return String(decoding: key, as: UTF8.self)
    }

    /// /proc/self/cgroup: "ID:CONTROLLERS:PATH"; the unified hierarchy has ID 0 and no controllers.
    private static func parseOwn(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in text.utf8.split(separator: UInt8(ascii: "\n")) {
            let parts = line.split(separator: UInt8(ascii: ":"), maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            result[String(Substring(parts[1]))] = String(Substring(parts[2]))
        }
        return result
    }
}
