import CHullShim

/// Device rules on cgroup v2, which has no devices files: the rules of CgroupDeviceRules (the
/// same list the v1 devices controller gets, on top of "deny all") become a
/// BPF_PROG_TYPE_CGROUP_DEVICE program, built, loaded and attached to the container's cgroup
/// directory by the shim (device_filter.c). Attaching again (`hull update`) replaces the
/// program attached before, as runc does.
public enum CgroupDeviceFilter {
    /// The shim's form of `rules`.
    static func cRules(_ rules: [CgroupDeviceRules.Rule]) -> [hull_device_rule] {
        rules.map { rule in
            var access: UInt32 = 0
            if rule.access.contains("r") { access |= HULL_DEVICE_ACCESS_READ }
            if rule.access.contains("w") { access |= HULL_DEVICE_ACCESS_WRITE }
            if rule.access.contains("m") { access |= HULL_DEVICE_ACCESS_MKNOD }
            let type = CChar(truncatingIfNeeded: rule.type.utf8.first ?? UInt8(ascii: "a"))
            return hull_device_rule(allow: rule.allow ? 1 : 0, type: type, major: rule.major ?? -1,
                                    minor: rule.minor ?? -1, access: access)
        }
    }

    /// Loads the program for `rules` and attaches it to `directory`, detaching the one before.
    static func apply(_ rules: [CgroupDeviceRules.Rule], to directory: String) throws {
        let cRules = cRules(rules)
        var err = [CChar](repeating: 0, count: 512)
        let rc = cRules.withUnsafeBufferPointer { buffer in
            hull_device_filter_apply(directory, buffer.baseAddress, Int32(buffer.count), 0, &err, Int32(err.count))
        }
        guard rc == 0 else { throw HullError(String(cBuffer: err)) }
    }

    /// The program's instructions (8 bytes each), without loading it: for tests.
    static func program(_ rules: [CgroupDeviceRules.Rule]) throws -> [UInt64] {
        let cRules = cRules(rules)
        var err = [CChar](repeating: 0, count: 512)
        var instructions = [UInt64](repeating: 0, count: 4096)
        let count = cRules.withUnsafeBufferPointer { buffer in
            hull_device_filter_build(buffer.baseAddress, Int32(buffer.count), 0, &instructions,
                                     Int32(instructions.count), &err, Int32(err.count))
        }
        guard count >= 0 else { throw HullError(String(cBuffer: err)) }
        return Array(instructions.prefix(Int(count)))
    }

    /// How many device programs are attached to `directory` itself (tests check that an update
    /// replaces the program rather than adding one).
    public static func attachedCount(_ directory: String) throws -> Int {
        var err = [CChar](repeating: 0, count: 512)
        let count = hull_device_filter_count(directory, &err, Int32(err.count))
        guard count >= 0 else { throw HullError(String(cBuffer: err)) }
        return Int(count)
    }
}
