/// `linux.resources` as the unit properties systemd knows on cgroup v2 (runc's
/// genV2ResourcesProperties), so that systemd's own view of the unit matches the limits and a
/// later reload of the unit does not undo them. Everything is also written to the cgroup files
/// afterwards (CgroupManager.apply), as runc does: that covers what has no property here.
enum SystemdResources {
    /// The kernel's default CFS period, assumed for a quota without a period (runc).
    static let defaultCPUPeriod: UInt64 = 100_000

    static func properties(_ resources: LinuxResources?) throws -> [SystemdProperty] {
        guard let resources else { return [] }
        var result: [SystemdProperty] = []
        if let memory = resources.memory {
            let limit = memory.limit ?? 0
            if limit != 0 { result.append(SystemdProperty("MemoryMax", .uint64(limitValue(limit)))) }
            if let low = memory.reservation, low != 0 { result.append(SystemdProperty("MemoryLow", .uint64(limitValue(low)))) }
            let swap = try CgroupV2Conversion.swapMax(memorySwap: memory.swap ?? 0, memory: limit)
            if swap != 0 { result.append(SystemdProperty("MemorySwapMax", .uint64(limitValue(swap)))) }
        }
        if let cpu = resources.cpu {
            if cpu.idle == 1 {
                // CPUWeight=0 is how systemd sets cpu.idle (v252).
                result.append(SystemdProperty("CPUWeight", .uint64(0)))
            } else if let shares = cpu.shares, shares != 0 {
                result.append(SystemdProperty("CPUWeight", .uint64(CgroupV2Conversion.cpuWeight(fromShares: shares))))
            }
            result += quota(cpu.quota ?? 0, period: cpu.period ?? 0)
            if let cpus = cpu.cpus, !cpus.isEmpty { result.append(SystemdProperty("AllowedCPUs", .bytes(try bits(cpus, "cpu.cpus")))) }
            if let mems = cpu.mems, !mems.isEmpty { result.append(SystemdProperty("AllowedMemoryNodes", .bytes(try bits(mems, "cpu.mems")))) }
        }
        if let limit = resources.pids?.limit, limit != 0 {
            result.append(SystemdProperty("TasksMax", .uint64(limit < 0 ? SystemdProperty.infinity : UInt64(limit))))
        }
        if let weight = resources.blockIO?.weight, weight != 0 {
            result.append(SystemdProperty("IOWeight", .uint64(CgroupV2Conversion.ioWeight(fromBlkioWeight: weight))))
        }
        // After the rest, so that a unified key wins over the field it overlaps (as in runc).
        result += try unified(resources.unified ?? [:])
        return result
    }

    /// The `unified` keys systemd has properties for (runc's unifiedResToSystemdProps); the
    /// others are only written to their files.
    static func unified(_ keys: [String: String]) throws -> [SystemdProperty] {
        let limits = ["memory.high": "MemoryHigh", "memory.low": "MemoryLow", "memory.min": "MemoryMin",
                      "memory.max": "MemoryMax", "memory.swap.max": "MemorySwapMax", "pids.max": "TasksMax"]
        var result: [SystemdProperty] = []
        for key in keys.keys.sorted() {
            let value = (keys[key] ?? "").trimmingWhitespace
            let bad = HullError("linux.resources.unified[\(quoted(key))]: \(quoted(value)) cannot be converted to a systemd property")
            if let name = limits[key] {
                guard var number = value == "max" ? SystemdProperty.infinity : UInt64(value) else { throw bad }
                // systemd refuses TasksMax=0 (runc sends 1).
                if name == "TasksMax" && number == 0 { number = 1 }
                result.append(SystemdProperty(name, .uint64(number)))
            } else if key == "cpu.weight" {
                guard let weight = UInt64(value) else { throw bad }
                result.append(SystemdProperty("CPUWeight", .uint64(weight)))
            } else if key == "cpu.max" {
                let fields = value.split(separator: " ")
                guard (1...2).contains(fields.count) else { throw bad }
                let quota = fields[0] == "max" ? 0 : Int64(fields[0])
                let period = fields.count == 2 ? UInt64(fields[1]) : defaultCPUPeriod
                guard let quota, let period else { throw bad }
                result += Self.quota(quota, period: period)
            } else if key == "cpuset.cpus" || key == "cpuset.mems" {
                let name = key == "cpuset.cpus" ? "AllowedCPUs" : "AllowedMemoryNodes"
                result.append(SystemdProperty(name, .bytes(try bits(value, "unified[\(quoted(key))]"))))
            }
        }
        return result
    }

    /// A limit in bytes: negative is infinity.
    private static func limitValue(_ value: Int64) -> UInt64 {
        value < 0 ? SystemdProperty.infinity : UInt64(value)
    }

    /// CPUQuotaPeriodUSec and CPUQuotaPerSecUSec (runc's addCPUQuota): systemd keeps the quota
    /// as a percentage, so a fraction of a percent is rounded up to the next 10 ms per second.
    static func quota(_ quota: Int64, period: UInt64) -> [SystemdProperty] {
        var result: [SystemdProperty] = []
        if period != 0 { result.append(SystemdProperty("CPUQuotaPeriodUSec", .uint64(period))) }
        guard quota != 0 || period != 0 else { return result }
        var perSecond = SystemdProperty.infinity
        if quota > 0 {
            let effectivePeriod = period == 0 ? defaultCPUPeriod : period
            perSecond = UInt64(quota) * 1_000_000 / effectivePeriod
            if perSecond % 10_000 != 0 { perSecond = (perSecond / 10_000 + 1) * 10_000 }
        }
        result.append(SystemdProperty("CPUQuotaPerSecUSec", .uint64(perSecond)))
        return result
    }

    /// A cpu list ("0-2,5") as systemd's bitmask: byte i holds numbers 8i...8i+7, lowest bit first.
    static func bits(_ list: String, _ field: String) throws -> [UInt8] {
        guard let ranges = CPUList.parse(list) else {
            throw HullError("linux.resources.\(field): invalid list \(quoted(list))")
        }
        var bytes: [UInt8] = []
        for range in ranges {
            for number in range {
                let index = number / 8
                if bytes.count <= index { bytes += [UInt8](repeating: 0, count: index + 1 - bytes.count) }
                bytes[index] |= UInt8(1) << UInt8(number % 8)
            }
        }
        return bytes.isEmpty ? [0] : bytes
    }
}
