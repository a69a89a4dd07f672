/// The device rules (CgroupDeviceRules: linux.resources.devices, linux.devices, the defaults)
/// as systemd's DevicePolicy= and DeviceAllow=, when they can be said that way.
///
/// systemd has only allow lists: `strict` with DeviceAllow entries ("/dev/char/1:3 rwm",
/// "char-136 rwm", "char-* m"), or `auto` with none for "allow everything". A deny rule that
/// takes back part of what was allowed, or a rule of any major with one minor, cannot be said;
/// then systemd is told nothing about devices (so its own device program allows everything)
/// and hull's rules apply alone, through the device program (v2) that CgroupManager attaches.
/// runc instead lets systemd deny everything in that case; saying nothing never denies more
/// than the rules do.
enum SystemdDevices {
    static func properties(_ rules: [CgroupDeviceRules.Rule]) -> [SystemdProperty]? {
        var allowAll = false
        var entries: [SystemdProperty.DeviceAllow] = []
        for rule in rules {
            let everything = rule.type == "a" && rule.major == nil && rule.minor == nil
            if !rule.allow {
                if everything && Set(rule.access) == Set("rwm") {
                    allowAll = false
                    entries = []
                    continue
                }
                // Denying what nothing allows yet changes nothing; anything else cannot be said.
                guard !allowAll && entries.isEmpty else { return nil }
                continue
            }
            if everything && Set(rule.access) == Set("rwm") {
                allowAll = true
                entries = []
                continue
            }
            if allowAll { continue }
            guard let added = allowEntries(rule) else { return nil }
            entries += added
        }
        // An empty DeviceAllow= first clears the entries a unit already has (update).
        if allowAll {
            return [SystemdProperty("DeviceAllow", .deviceAllow([])), SystemdProperty("DevicePolicy", .string("auto"))]
        }
        return [SystemdProperty("DeviceAllow", .deviceAllow([])), SystemdProperty("DevicePolicy", .string("strict")),
                SystemdProperty("DeviceAllow", .deviceAllow(entries))]
    }

    /// DeviceAllow entries of one allow rule (systemd 240+ syntax), or nil if it has none.
    private static func allowEntries(_ rule: CgroupDeviceRules.Rule) -> [SystemdProperty.DeviceAllow]? {
        let permissions = String(rule.access.filter { "rwm".contains($0) })
        guard !permissions.isEmpty else { return [] }
        let types = rule.type == "a" ? ["c", "b"] : [rule.type]
        var result: [SystemdProperty.DeviceAllow] = []
        for type in types {
            let group = type == "b" ? "block" : "char"
            switch (rule.major, rule.minor) {
            case (nil, nil): result.append(.init(path: "\(group)-*", permissions: permissions))
            case (let major?, nil): result.append(.init(path: "\(group)-\(major)", permissions: permissions))
            case (let major?, let minor?): result.append(.init(path: "/dev/\(group)/\(major):\(minor)", permissions: permissions))
            case (nil, _?): return nil
            }
        }
        return result
    }
}
