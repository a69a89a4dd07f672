/// The rules of `linux.resources`.
extension LinuxResources {
    func validate() throws {
        try validateDeviceRules()
        if let memory { try memory.validate() }
        if let cpu { try cpu.validate() }
        if let blockIO { try blockIO.validate() }
        try validateHugepageLimits()
        try validateRdma()
        try validateUnified()
        for (index, priority) in (network?.priorities ?? []).enumerated() where priority.name.isEmpty {
            throw invalid("linux.resources.network.priorities[\(index)].name", "must not be empty")
        }
    }

    private func validateDeviceRules() throws {
        for (index, rule) in (devices ?? []).enumerated() {
            let field = "linux.resources.devices[\(index)]"
            if let type = rule.type, !type.isEmpty, !LinuxDeviceCgroup.knownTypes.contains(type) {
                throw invalid(field + ".type", "unknown device type \(quoted(type)) (expected \(alternatives(LinuxDeviceCgroup.knownTypes)))")
            }
            guard let access = rule.access, !access.isEmpty else { throw invalid(field + ".access", "must not be empty") }
            guard access.allSatisfy({ "rwm".contains($0) }) else {
                throw invalid(field + ".access", "invalid access \(quoted(access)) (expected a combination of r, w and m)")
            }
        }
    }

    private func validateHugepageLimits() throws {
        for (index, limit) in (hugepageLimits ?? []).enumerated() where !LinuxResources.isPageSize(limit.pageSize) {
            throw invalid("linux.resources.hugepageLimits[\(index)].pageSize",
                          "invalid page size \(quoted(limit.pageSize)) (expected a size such as \"2MB\" or \"1GB\")")
        }
    }

    /// The schema's pattern: `^[1-9][0-9]*[KMG]B$`.
    static func isPageSize(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 3, bytes.last == UInt8(ascii: "B"), "KMG".utf8.contains(bytes[bytes.count - 2]) else { return false }
        let digits = bytes.dropLast(2)
        guard let first = digits.first, first != UInt8(ascii: "0") else { return false }
        return digits.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    private func validateRdma() throws {
        for (device, limits) in (rdma ?? [:]).sorted(by: { $0.key < $1.key })
        where limits.hcaHandles == nil && limits.hcaObjects == nil {
            throw invalid(ConfigPath.appending(device, to: "linux.resources.rdma"), "must set hcaHandles or hcaObjects")
        }
    }

    /// Keys are file names in the container's cgroup directory.
    private func validateUnified() throws {
        for key in (unified ?? [:]).keys.sorted() where key.isEmpty || key.contains("/") || key == "." || key == ".." {
            throw invalid(ConfigPath.appending(key, to: "linux.resources.unified"), "must be a file name in the cgroup directory")
        }
    }
}

extension LinuxMemory {
    /// Limits are -1 (unlimited) or a byte count; swap counts memory plus swap, so it needs a
    /// memory limit no larger than itself (the cgroup v2 conversion runc makes fails otherwise).
    func validate() throws {
        let field = "linux.resources.memory"
        for (name, value) in [("limit", limit), ("reservation", reservation), ("swap", swap)] {
            if let value, value < -1 {
                throw invalid(field + "." + name, "must be -1 (unlimited) or a number of bytes, got \(value)")
            }
        }
        if let swap, swap > 0 {
            switch limit ?? 0 {
            case 0: throw invalid(field + ".swap", "requires \(field).limit")
            case -1: throw invalid(field + ".swap", "cannot be limited while \(field).limit is -1 (unlimited)")
            case let memory where swap < memory:
                throw invalid(field + ".swap", "must be at least \(field).limit (\(memory)), got \(swap)")
            default: break
            }
        }
        if let swappiness, swappiness > 100 {
            throw invalid(field + ".swappiness", "must be between 0 and 100, got \(swappiness)")
        }
    }
}

extension LinuxCPU {
    func validate() throws {
        let field = "linux.resources.cpu"
        if let burst, let quota, quota > 0, burst > UInt64(quota) {
            throw invalid(field + ".burst", "must not exceed \(field).quota (\(quota)), got \(burst)")
        }
        for (name, list) in [("cpus", cpus), ("mems", mems)] {
            if let list, CPUList.parse(list) == nil {
                throw invalid(field + "." + name, "invalid list \(quoted(list)) (expected a list such as \"0-3,7\")")
            }
        }
        if let idle, idle != 0, idle != 1 {
            throw invalid(field + ".idle", "must be 0 or 1, got \(idle)")
        }
    }
}

extension LinuxBlockIO {
    func validate() throws {
        let field = "linux.resources.blockIO"
        try LinuxBlockIO.validateWeight(weight, at: field + ".weight")
        try LinuxBlockIO.validateWeight(leafWeight, at: field + ".leafWeight")
        for (index, device) in (weightDevice ?? []).enumerated() {
            let entry = field + ".weightDevice[\(index)]"
            if device.weight == nil && device.leafWeight == nil {
                throw invalid(entry, "must set weight or leafWeight")
            }
            try LinuxBlockIO.validateWeight(device.weight, at: entry + ".weight")
            try LinuxBlockIO.validateWeight(device.leafWeight, at: entry + ".leafWeight")
        }
    }

    /// 0 means "not set", as in runc (docker 20.10 sends `"weight": 0` in every container's config);
    /// the cgroup plans write nothing for it.
    private static func validateWeight(_ weight: UInt16?, at field: String) throws {
        if let weight, weight != 0, !weightRange.contains(weight) {
            throw invalid(field, "must be between \(weightRange.lowerBound) and \(weightRange.upperBound), got \(weight)")
        }
    }
}
