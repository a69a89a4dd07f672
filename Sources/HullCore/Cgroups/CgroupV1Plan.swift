/// `linux.resources` as cgroup v1 file writes, in the order runc's cgroupfs driver makes them.
/// `unified` keys go to the cgroup2 directory of a hybrid host (controller "").
struct CgroupV1Plan {
    let probe: CgroupFileProbe

    /// Every write for `resources`; device rules only when `includeDevices` (create, not update).
    func writes(_ resources: LinuxResources, devices: [LinuxDevice] = [], includeDevices: Bool = true) throws -> [CgroupWrite] {
        var writes: [CgroupWrite] = []
        if includeDevices {
            writes += CgroupDeviceRules.v1Writes(CgroupDeviceRules.rules(resources: resources.devices ?? [], devices: devices))
        }
        if let memory = resources.memory { writes += self.memory(memory) }
        if let cpu = resources.cpu { writes += self.cpu(cpu) }
        if let limit = resources.pids?.limit, limit != 0 {
            writes.append(CgroupWrite("pids", "pids.max", limit > 0 ? String(limit) : "max", field: "linux.resources.pids.limit"))
        }
        if let blockIO = resources.blockIO { writes += try self.blockIO(blockIO) }
        for (index, limit) in (resources.hugepageLimits ?? []).enumerated() {
            writes.append(CgroupWrite("hugetlb", "hugetlb.\(limit.pageSize).limit_in_bytes", String(limit.limit),
                                      field: "linux.resources.hugepageLimits[\(index)]"))
        }
        if let network = resources.network { writes += self.network(network) }
        for (device, limit) in (resources.rdma ?? [:]).sorted(by: { $0.key < $1.key }) {
            writes.append(CgroupWrite("rdma", "rdma.max", CgroupRdma.line(device: device, limit),
                                      field: ConfigPath.appending(device, to: "linux.resources.rdma")))
        }
        for (key, value) in (resources.unified ?? [:]).sorted(by: { $0.key < $1.key }) {
            writes.append(CgroupWrite("", key, value, field: ConfigPath.appending(key, to: "linux.resources.unified")))
        }
        return writes
    }

    /// runc's order: when both limits change, the one that keeps memory <= memory+swap at
    /// every step goes first. Kernel memory is ignored (deprecated; runc 1.1 ignores it too).
    private func memory(_ memory: LinuxMemory) -> [CgroupWrite] {
        let field = "linux.resources.memory"
        var writes: [CgroupWrite] = []
        let limit = memory.limit ?? 0
        var swap = memory.swap ?? 0
        if limit == -1 && swap == 0 { swap = -1 }
        let limitWrite = CgroupWrite("memory", "memory.limit_in_bytes", String(limit), field: field + ".limit")
        let swapWrite = CgroupWrite("memory", "memory.memsw.limit_in_bytes", String(swap), field: field + ".swap")
        if limit != 0 && swap != 0 && probe.exists("memory", "memory.memsw.limit_in_bytes") {
            let current = probe.read("memory", "memory.limit_in_bytes").flatMap { UInt64($0.trimmingWhitespace) } ?? UInt64.max
            if swap == -1 || current < UInt64(swap) {
                writes += [swapWrite, limitWrite]
            } else {
                writes += [limitWrite, swapWrite]
            }
        } else {
            if limit != 0 { writes.append(limitWrite) }
            if swap != 0 { writes.append(swapWrite) }
        }
        if let reservation = memory.reservation, reservation != 0 {
            writes.append(CgroupWrite("memory", "memory.soft_limit_in_bytes", String(reservation), field: field + ".reservation"))
        }
        if let tcp = memory.kernelTCP, tcp != 0 {
            writes.append(CgroupWrite("memory", "memory.kmem.tcp.limit_in_bytes", String(tcp), field: field + ".kernelTCP"))
        }
        if let swappiness = memory.swappiness {
            writes.append(CgroupWrite("memory", "memory.swappiness", String(swappiness), field: field + ".swappiness"))
        }
        // An explicit false writes 0: `update` turns the OOM killer back on, and a new group
        // inherits its parent's setting.
        if let disable = memory.disableOOMKiller {
            writes.append(CgroupWrite("memory", "memory.oom_control", disable ? "1" : "0", field: field + ".disableOOMKiller"))
        }
        return writes
    }

    /// Period before quota (a quota larger than the old period may be refused otherwise);
    /// realtime period before runtime, as runc.
    private func cpu(_ cpu: LinuxCPU) -> [CgroupWrite] {
        let field = "linux.resources.cpu"
        var writes: [CgroupWrite] = []
        if let shares = cpu.shares, shares != 0 {
            writes.append(CgroupWrite("cpu", "cpu.shares", String(shares), field: field + ".shares"))
        }
        if let period = cpu.period, period != 0 {
            writes.append(CgroupWrite("cpu", "cpu.cfs_period_us", String(period), field: field + ".period"))
        }
        if let quota = cpu.quota, quota != 0 {
            writes.append(CgroupWrite("cpu", "cpu.cfs_quota_us", String(quota), field: field + ".quota"))
        }
        if let burst = cpu.burst {
            writes.append(CgroupWrite("cpu", "cpu.cfs_burst_us", String(burst), field: field + ".burst"))
        }
        if let period = cpu.realtimePeriod, period != 0 {
            writes.append(CgroupWrite("cpu", "cpu.rt_period_us", String(period), field: field + ".realtimePeriod"))
        }
        if let runtime = cpu.realtimeRuntime, runtime != 0 {
            writes.append(CgroupWrite("cpu", "cpu.rt_runtime_us", String(runtime), field: field + ".realtimeRuntime"))
        }
        if let idle = cpu.idle {
            writes.append(CgroupWrite("cpu", "cpu.idle", String(idle), field: field + ".idle"))
        }
        if let cpus = cpu.cpus, !cpus.isEmpty {
            writes.append(CgroupWrite("cpuset", "cpuset.cpus", cpus, field: field + ".cpus"))
        }
        if let mems = cpu.mems, !mems.isEmpty {
            writes.append(CgroupWrite("cpuset", "cpuset.mems", mems, field: field + ".mems"))
        }
        return writes
    }

    /// CFQ's blkio.weight where the kernel still has it, otherwise BFQ's blkio.bfq.weight.
    private func blockIO(_ io: LinuxBlockIO) throws -> [CgroupWrite] {
        let field = "linux.resources.blockIO"
        let cfq = probe.exists("blkio", "blkio.weight")
        let weightFile = cfq ? "blkio.weight" : "blkio.bfq.weight"
        let weightDeviceFile = cfq ? "blkio.weight_device" : "blkio.bfq.weight_device"
        var writes: [CgroupWrite] = []
        if let weight = io.weight, weight != 0 {
            writes.append(CgroupWrite("blkio", weightFile, String(weight), field: field + ".weight"))
        }
        if let leaf = io.leafWeight, leaf != 0 {
            writes.append(CgroupWrite("blkio", "blkio.leaf_weight", String(leaf), field: field + ".leafWeight"))
        }
        for (index, device) in (io.weightDevice ?? []).enumerated() {
            let entry = field + ".weightDevice[\(index)]"
            if let weight = device.weight, weight != 0 {
                writes.append(CgroupWrite("blkio", weightDeviceFile, "\(device.major):\(device.minor) \(weight)", field: entry + ".weight"))
            }
            if let leaf = device.leafWeight, leaf != 0 {
                writes.append(CgroupWrite("blkio", "blkio.leaf_weight_device", "\(device.major):\(device.minor) \(leaf)", field: entry + ".leafWeight"))
            }
        }
        let throttles: [(String, [LinuxThrottleDevice]?, String)] = [
            ("throttleReadBpsDevice", io.throttleReadBpsDevice, "blkio.throttle.read_bps_device"),
            ("throttleWriteBpsDevice", io.throttleWriteBpsDevice, "blkio.throttle.write_bps_device"),
            ("throttleReadIOPSDevice", io.throttleReadIOPSDevice, "blkio.throttle.read_iops_device"),
            ("throttleWriteIOPSDevice", io.throttleWriteIOPSDevice, "blkio.throttle.write_iops_device"),
        ]
        for (name, devices, file) in throttles {
            for (index, device) in (devices ?? []).enumerated() {
                writes.append(CgroupWrite("blkio", file, "\(device.major):\(device.minor) \(device.rate)",
                                          field: "\(field).\(name)[\(index)]"))
            }
        }
        return writes
    }

    private func network(_ network: LinuxNetwork) -> [CgroupWrite] {
        var writes: [CgroupWrite] = []
        if let classID = network.classID {
            writes.append(CgroupWrite("net_cls", "net_cls.classid", String(classID), field: "linux.resources.network.classID"))
        }
        for (index, priority) in (network.priorities ?? []).enumerated() {
            writes.append(CgroupWrite("net_prio", "net_prio.ifpriomap", "\(priority.name) \(priority.priority)",
                                      field: "linux.resources.network.priorities[\(index)]"))
        }
        return writes
    }
}

/// rdma.max lines (the same in v1 and v2): "mlx4_0 hca_handle=2 hca_object=2000".
enum CgroupRdma {
    static func line(device: String, _ limit: LinuxRdma) -> String {
        var line = device
        if let handles = limit.hcaHandles { line += " hca_handle=\(handles)" }
        if let objects = limit.hcaObjects { line += " hca_object=\(objects)" }
        return line
    }
}
