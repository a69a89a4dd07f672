/// The device cgroup rules of a container: `linux.resources.devices` in order, then an allow
/// rule for every node of `linux.devices`, then the devices every container may use (runc's
/// AllowedDevices). Applied on top of "deny all", so the list is the whole truth, as in runc.
enum CgroupDeviceRules {
    struct Rule: Equatable, Sendable {
        var allow: Bool
        /// "a", "c" or "b".
        var type: String
        var major: Int64?
        var minor: Int64?
        var access: String
        var field: String

        /// The kernel's devices.allow / devices.deny line: "c 1:3 rwm", "a".
        var v1Line: String {
            if type == "a" { return "a" }
            let major = major.map(String.init) ?? "*"
            let minor = minor.map(String.init) ?? "*"
            return "\(type) \(major):\(minor) \(access)"
        }
    }

    /// Nodes every container gets (runc's AllowedDevices): mknod of anything, the default
    /// devices, ptys and /dev/net/tun.
    static let alwaysAllowed: [Rule] = [
        rule("c", nil, nil, "m"), rule("b", nil, nil, "m"),
        rule("c", 1, 3), rule("c", 1, 8), rule("c", 1, 7), rule("c", 5, 0), rule("c", 1, 5), rule("c", 1, 9),
        rule("c", 136, nil), rule("c", 5, 2), rule("c", 10, 200),
    ]

    static func rules(resources: [LinuxDeviceCgroup], devices: [LinuxDevice]) -> [Rule] {
        var result: [Rule] = []
        for (index, entry) in resources.enumerated() {
            let type = (entry.type?.isEmpty ?? true) ? "a" : entry.type!
            result.append(Rule(allow: entry.allow, type: type, major: entry.major, minor: entry.minor,
                               access: entry.access ?? "rwm", field: "linux.resources.devices[\(index)]"))
        }
        for (index, device) in devices.enumerated() where device.type != "p" {
            let type = device.type == "b" ? "b" : "c"
            result.append(Rule(allow: true, type: type, major: device.major, minor: device.minor, access: "rwm",
                               field: "linux.devices[\(index)]"))
        }
        return result + alwaysAllowed
    }

    /// The v1 writes: "a" to devices.deny (nothing is allowed), then each rule in order.
    static func v1Writes(_ rules: [Rule]) -> [CgroupWrite] {
        var writes = [CgroupWrite("devices", "devices.deny", "a", field: "linux.resources.devices")]
        for rule in rules {
            writes.append(CgroupWrite("devices", rule.allow ? "devices.allow" : "devices.deny", rule.v1Line, field: rule.field))
        }
        return writes
    }

    private static func rule(_ type: String, _ major: Int64?, _ minor: Int64?, _ access: String = "rwm") -> Rule {
        Rule(allow: true, type: type, major: major, minor: minor, access: access, field: "default allowed devices")
    }
}
