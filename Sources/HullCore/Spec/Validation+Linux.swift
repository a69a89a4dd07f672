/// The rules of `linux`, except `resources` and `seccomp` (in their own files).
extension Linux {
    func validate(namespaces: NamespaceIndex) throws {
        try validateUserNamespace(namespaces)
        try validateTimeNamespace(namespaces)
        try validateSysctl(namespaces)
        if let resources { try resources.validate() }
        try validateDevices()
        try validateNetDevices(namespaces)
        if let seccomp { try seccomp.validate() }
        try validateRootfsPropagation()
        try validateProtectedPaths(namespaces)
        if let intelRdt { try intelRdt.validate() }
        if let memoryPolicy { try memoryPolicy.validate() }
        if let personality {
            try requireKnown(personality.domain, in: LinuxPersonality.knownDomains, at: "linux.personality.domain",
                             what: "personality domain")
        }
    }

    /// Mappings need a user namespace; a new user namespace needs both mappings (runc asks for
    /// at least one, but without the other the process cannot take its user or group).
    private func validateUserNamespace(_ namespaces: NamespaceIndex) throws {
        try LinuxIDMapping.validate(uidMappings, at: "linux.uidMappings")
        try LinuxIDMapping.validate(gidMappings, at: "linux.gidMappings")
        let fields = [("linux.uidMappings", uidMappings), ("linux.gidMappings", gidMappings)]
        if !namespaces.has(.user) {
            for (field, mappings) in fields where mappings != nil {
                throw invalid(field, namespaces.missing(.user))
            }
        } else if namespaces.isNew(.user) {
            for (field, mappings) in fields where (mappings ?? []).isEmpty {
                throw invalid(field, "required for a new user namespace (\(namespaces.field(.user)))")
            }
        }
    }

    private func validateTimeNamespace(_ namespaces: NamespaceIndex) throws {
        guard let timeOffsets else { return }
        guard namespaces.has(.time) else { throw invalid("linux.timeOffsets", namespaces.missing(.time)) }
        if namespaces.joinPath(.time) != nil {
            throw invalid("linux.timeOffsets", "cannot be set when joining an existing time namespace (\(namespaces.field(.time)).path)")
        }
        for (clock, offset) in timeOffsets.sorted(by: { $0.key < $1.key }) {
            let field = ConfigPath.appending(clock, to: "linux.timeOffsets")
            guard LinuxTimeOffset.knownClocks.contains(clock) else {
                throw invalid(field, "unknown clock \(quoted(clock)) (expected \(alternatives(LinuxTimeOffset.knownClocks)))")
            }
            if let nanosecs = offset.nanosecs, nanosecs >= 1_000_000_000 {
                throw invalid(field + ".nanosecs", "must be less than 1000000000, got \(nanosecs)")
            }
        }
    }

    private func validateDevices() throws {
        for (index, device) in (devices ?? []).enumerated() {
            let field = "linux.devices[\(index)]"
            try requireAbsolute(device.path, at: field + ".path")
            guard LinuxDevice.knownTypes.contains(device.type) else {
                throw invalid(field + ".type", "unknown device type \(quoted(device.type)) (expected \(alternatives(LinuxDevice.knownTypes)))")
            }
        }
    }

    private func validateNetDevices(_ namespaces: NamespaceIndex) throws {
        guard let netDevices, !netDevices.isEmpty else { return }
        guard namespaces.has(.network) else { throw invalid("linux.netDevices", namespaces.missing(.network)) }
        for (hostName, device) in netDevices.sorted(by: { $0.key < $1.key }) {
            let field = ConfigPath.appending(hostName, to: "linux.netDevices")
            guard NetworkInterfaceName.isValid(hostName) else {
                throw invalid(field, "invalid network interface name \(quoted(hostName))")
            }
            if let name = device.name, !name.isEmpty, !NetworkInterfaceName.isValid(name) {
                throw invalid(field + ".name", "invalid network interface name \(quoted(name))")
            }
        }
    }

    private func validateRootfsPropagation() throws {
        guard let rootfsPropagation, !rootfsPropagation.isEmpty else { return }
        guard Linux.knownRootfsPropagations.contains(rootfsPropagation) else {
            throw invalid("linux.rootfsPropagation",
                          "unknown propagation \(quoted(rootfsPropagation)) (expected \(alternatives(Linux.knownRootfsPropagations)))")
        }
    }

    /// Masking and read-only remounts happen in the container's mount namespace; on the host
    /// they would change the host.
    private func validateProtectedPaths(_ namespaces: NamespaceIndex) throws {
        for (name, paths) in [("maskedPaths", maskedPaths), ("readonlyPaths", readonlyPaths)] {
            guard let paths, !paths.isEmpty else { continue }
            let field = "linux." + name
            guard namespaces.has(.mount) else { throw invalid(field, namespaces.missing(.mount)) }
            for (index, path) in paths.enumerated() { try requireAbsolute(path, at: field + "[\(index)]") }
        }
    }
}

extension LinuxIDMapping {
    /// The kernel's rules for uid_map and gid_map: non-empty ranges that stay within 32 bits,
    /// overlapping neither on the container side nor on the host side, at most 340 of them.
    static func validate(_ mappings: [LinuxIDMapping]?, at field: String) throws {
        guard let mappings else { return }
        if mappings.count > 340 { throw invalid(field, "must have at most 340 entries, got \(mappings.count)") }
        let limit = UInt64(UInt32.max) + 1
        for (index, mapping) in mappings.enumerated() {
            let entry = field + "[\(index)]"
            if mapping.size == 0 { throw invalid(entry + ".size", "must be greater than zero") }
            if UInt64(mapping.containerID) + UInt64(mapping.size) > limit {
                throw invalid(entry, "container IDs \(mapping.containerID)+\(mapping.size) go beyond 4294967295")
            }
            if UInt64(mapping.hostID) + UInt64(mapping.size) > limit {
                throw invalid(entry, "host IDs \(mapping.hostID)+\(mapping.size) go beyond 4294967295")
            }
            for earlier in 0..<index {
                let other = mappings[earlier]
                if overlap(mapping.containerID, other.containerID, mapping.size, other.size) {
                    throw invalid(entry, "container IDs overlap \(field)[\(earlier)]")
                }
                if overlap(mapping.hostID, other.hostID, mapping.size, other.size) {
                    throw invalid(entry, "host IDs overlap \(field)[\(earlier)]")
                }
            }
        }
    }

    private static func overlap(_ start1: UInt32, _ start2: UInt32, _ size1: UInt32, _ size2: UInt32) -> Bool {
        let (a, b) = (UInt64(start1), UInt64(start2))
        return a < b + UInt64(size2) && b < a + UInt64(size1)
    }
}

extension LinuxIntelRdt {
    /// closID names a resctrl directory; schemata lines are written one per line.
    func validate() throws {
        if let closID {
            if closID == "." || closID == ".." || (closID.count > 1 && closID.contains("/")) {
                throw invalid("linux.intelRdt.closID", "invalid resctrl group name \(quoted(closID))")
            }
        }
        if let l3CacheSchema, l3CacheSchema.contains(where: \.isNewline) {
            throw invalid("linux.intelRdt.l3CacheSchema", "must not contain newlines")
        }
        if let memBwSchema {
            guard memBwSchema.hasPrefix("MB:") else {
                throw invalid("linux.intelRdt.memBwSchema", "must start with \"MB:\", got \(quoted(memBwSchema))")
            }
            if memBwSchema.contains(where: \.isNewline) {
                throw invalid("linux.intelRdt.memBwSchema", "must not contain newlines")
            }
        }
        for (index, line) in (schemata ?? []).enumerated() where line.contains(where: \.isNewline) {
            throw invalid("linux.intelRdt.schemata[\(index)]", "must not contain newlines")
        }
    }
}

extension LinuxMemoryPolicy {
    /// set_mempolicy(2)'s constraints, as runc checks them.
    func validate() throws {
        let field = "linux.memoryPolicy"
        try requireKnown(mode, in: LinuxMemoryPolicy.knownModes, at: field + ".mode", what: "memory policy mode")
        for (index, flag) in (flags ?? []).enumerated() {
            try requireKnown(flag, in: LinuxMemoryPolicy.knownFlags, at: field + ".flags[\(index)]", what: "memory policy flag")
        }
        if let flags, flags.contains("MPOL_F_STATIC_NODES"), flags.contains("MPOL_F_RELATIVE_NODES") {
            throw invalid(field + ".flags", "MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES exclude each other")
        }
        guard let ranges = CPUList.parse(nodes ?? "") else {
            throw invalid(field + ".nodes", "invalid node list \(quoted(nodes ?? ""))")
        }
        let count = CPUList.count(ranges)
        switch mode {
        case "MPOL_DEFAULT", "MPOL_LOCAL":
            if count != 0 { throw invalid(field + ".nodes", "must be empty for \(mode)") }
        case "MPOL_BIND", "MPOL_INTERLEAVE", "MPOL_PREFERRED_MANY", "MPOL_WEIGHTED_INTERLEAVE":
            if count == 0 { throw invalid(field + ".nodes", "must list at least one node for \(mode)") }
        default:
            break  // MPOL_PREFERRED takes zero or more nodes.
        }
    }
}

/// The kernel's rule for interface names (dev_valid_name): 1 to 15 bytes, not "." or "..",
/// without "/", ":" or whitespace.
enum NetworkInterfaceName {
    static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count < 16, name != ".", name != ".." else { return false }
        return !bytes.contains { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: ":") || $0 == 0 || isSpace($0) }
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }
}
