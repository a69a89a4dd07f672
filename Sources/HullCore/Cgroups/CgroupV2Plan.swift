/// `linux.resources` as cgroup v2 file writes (all in the container's one directory), with
/// runc's v1 to v2 conversions. `unified` keys come last, so they override the converted values.
struct CgroupV2Plan {
    let probe: CgroupFileProbe

    /// The writes for `resources`. Device rules are not here: v2 has no device files; they
    /// become an eBPF program (CgroupDeviceFilter).
    func writes(_ resources: LinuxResources) throws -> [CgroupWrite] {
        var writes: [CgroupWrite] = []
        if let memory = resources.memory { writes += try self.memory(memory) }
        if let cpu = resources.cpu { writes += try self.cpu(cpu) }
        if let limit = resources.pids?.limit, limit != 0 {
            writes.append(file("pids.max", limit > 0 ? String(limit) : "max", "linux.resources.pids.limit"))
        }
        if let blockIO = resources.blockIO { writes += io(blockIO) }
        for (index, limit) in (resources.hugepageLimits ?? []).enumerated() {
            writes.append(file("hugetlb.\(limit.pageSize).max", String(limit.limit), "linux.resources.hugepageLimits[\(index)]"))
        }
        for (device, limit) in (resources.rdma ?? [:]).sorted(by: { $0.key < $1.key }) {
            writes.append(file("rdma.max", CgroupRdma.line(device: device, limit), ConfigPath.appending(device, to: "linux.resources.rdma")))
        }
        for (key, value) in (resources.unified ?? [:]).sorted(by: { $0.key < $1.key }) {
            writes.append(file(key, value, ConfigPath.appending(key, to: "linux.resources.unified")))
        }
        return writes
    }

    /// The controllers these resources need enabled in the parents' cgroup.subtree_control.
    static func controllers(for resources: LinuxResources?) -> Set<String> {
        var needed: Set<String> = []
        guard let resources else { return needed }
        if resources.memory != nil { needed.insert("memory") }
        if let cpu = resources.cpu {
            if cpu.shares != nil || cpu.quota != nil || cpu.period != nil || cpu.burst != nil || cpu.idle != nil { needed.insert("cpu") }
            if !(cpu.cpus ?? "").isEmpty || !(cpu.mems ?? "").isEmpty { needed.insert("cpuset") }
        }
        if resources.pids?.limit ?? 0 != 0 { needed.insert("pids") }
        if resources.blockIO != nil { needed.insert("io") }
        if !(resources.hugepageLimits ?? []).isEmpty { needed.insert("hugetlb") }
        if !(resources.rdma ?? [:]).isEmpty { needed.insert("rdma") }
        return needed
    }

    /// The controllers the `unified` keys name ("memory" for "memory.high"): enabled where the
    /// host has them; a missing one is reported by the write, naming the key.
    static func unifiedControllers(for resources: LinuxResources?) -> Set<String> {
        Set((resources?.unified ?? [:]).keys.compactMap { key in
            key.split(separator: ".").first.map(String.init).flatMap { $0 == "cgroup" ? nil : $0 }
        })
    }

    /// swap.max before memory.max, as runc: a memory limit equal to memory+swap means no swap.
    /// swappiness and disableOOMKiller have no v2 file and are ignored, as by runc.
    private func memory(_ memory: LinuxMemory) throws -> [CgroupWrite] {
        let field = "linux.resources.memory"
        var writes: [CgroupWrite] = []
        let limit = memory.limit ?? 0
        let swapTotal = memory.swap ?? 0
        let swap = try CgroupV2Conversion.swapMax(memorySwap: swapTotal, memory: limit)
        var swapText = CgroupV2Conversion.limitText(swap)
        if swapText == nil && swap == 0 && swapTotal > 0 { swapText = "0" }
        // Without swap in the kernel there is no memory.swap.max: "max" and "0" then ask for nothing.
        if let swapText, probe.exists("", "memory.swap.max") || (swapText != "max" && swapText != "0") {
            writes.append(file("memory.swap.max", swapText, field + ".swap"))
        }
        if let text = CgroupV2Conversion.limitText(limit) { writes.append(file("memory.max", text, field + ".limit")) }
        if let reservation = memory.reservation, let text = CgroupV2Conversion.limitText(reservation) {
            writes.append(file("memory.low", text, field + ".reservation"))
        }
        return writes
    }

    private func cpu(_ cpu: LinuxCPU) throws -> [CgroupWrite] {
        let field = "linux.resources.cpu"
        if (cpu.realtimePeriod ?? 0) != 0 || (cpu.realtimeRuntime ?? 0) != 0 {
            throw HullError("\(field).realtimeRuntime: realtime scheduling limits are not supported on cgroup v2")
        }
        var writes: [CgroupWrite] = []
        if let idle = cpu.idle { writes.append(file("cpu.idle", String(idle), field + ".idle")) }
        if let shares = cpu.shares, shares != 0 {
            writes.append(file("cpu.weight", String(CgroupV2Conversion.cpuWeight(fromShares: shares)), field + ".shares"))
        }
        let quota = cpu.quota ?? 0, period = cpu.period ?? 0
        if quota != 0 || period != 0 {
            var text = quota > 0 ? String(quota) : "max"
            if period != 0 { text += " \(period)" }
            writes.append(file("cpu.max", text, field + (quota != 0 ? ".quota" : ".period")))
        }
        if let burst = cpu.burst { writes.append(file("cpu.max.burst", String(burst), field + ".burst")) }
        if let cpus = cpu.cpus, !cpus.isEmpty { writes.append(file("cpuset.cpus", cpus, field + ".cpus")) }
        if let mems = cpu.mems, !mems.isEmpty { writes.append(file("cpuset.mems", mems, field + ".mems")) }
        return writes
    }

    /// BFQ's io.bfq.weight takes the v1 weight as it is; io.weight needs the converted value.
    private func io(_ io: LinuxBlockIO) -> [CgroupWrite] {
        let field = "linux.resources.blockIO"
        let bfq = probe.exists("", "io.bfq.weight")
        var writes: [CgroupWrite] = []
        if let weight = io.weight, weight != 0 {
            let value = bfq ? String(weight) : "default \(CgroupV2Conversion.ioWeight(fromBlkioWeight: weight))"
            writes.append(file(bfq ? "io.bfq.weight" : "io.weight", value, field + ".weight"))
        }
        for (index, device) in (io.weightDevice ?? []).enumerated() {
            guard let weight = device.weight, weight != 0 else { continue }
            let value = bfq ? String(weight) : String(CgroupV2Conversion.ioWeight(fromBlkioWeight: weight))
            writes.append(file(bfq ? "io.bfq.weight" : "io.weight", "\(device.major):\(device.minor) \(value)",
                               field + ".weightDevice[\(index)].weight"))
        }
        let throttles: [(String, [LinuxThrottleDevice]?, String)] = [
            ("throttleReadBpsDevice", io.throttleReadBpsDevice, "rbps"),
            ("throttleWriteBpsDevice", io.throttleWriteBpsDevice, "wbps"),
            ("throttleReadIOPSDevice", io.throttleReadIOPSDevice, "riops"),
            ("throttleWriteIOPSDevice", io.throttleWriteIOPSDevice, "wiops"),
        ]
        for (name, devices, key) in throttles {
            for (index, device) in (devices ?? []).enumerated() {
                writes.append(file("io.max", "\(device.major):\(device.minor) \(key)=\(device.rate)", "\(field).\(name)[\(index)]"))
            }
        }
        return writes
    }

    private func file(_ name: String, _ value: String, _ field: String) -> CgroupWrite {
        CgroupWrite("", name, value, field: field)
    }
}
