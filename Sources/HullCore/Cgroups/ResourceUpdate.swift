/// What `hull update` may change, merged over the container's current resources as runc does:
/// memory (limit, reservation, swap, kernelTCP), cpu (shares, quota, burst, period, realtime,
/// cpus, mems, idle), pids.limit, blockIO.weight and `unified` keys; beyond runc 1.1, also
/// memory.swappiness and memory.disableOOMKiller (`-r` only: runc has no flags for them).
/// Everything else in the given resources is ignored, as by runc.
enum ResourceUpdate {
    static func merge(_ changes: LinuxResources, into current: LinuxResources?) -> LinuxResources {
        var result = current ?? LinuxResources()
        if let memory = changes.memory {
            var merged = result.memory ?? LinuxMemory()
            merged.limit = memory.limit ?? merged.limit
            merged.reservation = memory.reservation ?? merged.reservation
            merged.swap = memory.swap ?? merged.swap
            merged.kernelTCP = memory.kernelTCP ?? merged.kernelTCP
            merged.checkBeforeUpdate = memory.checkBeforeUpdate ?? merged.checkBeforeUpdate
            merged.swappiness = memory.swappiness ?? merged.swappiness
            merged.disableOOMKiller = memory.disableOOMKiller ?? merged.disableOOMKiller
            result.memory = merged
        }
        if let cpu = changes.cpu {
            var merged = result.cpu ?? LinuxCPU()
            merged.shares = cpu.shares ?? merged.shares
            merged.quota = cpu.quota ?? merged.quota
            merged.burst = cpu.burst ?? merged.burst
            merged.period = cpu.period ?? merged.period
            merged.realtimeRuntime = cpu.realtimeRuntime ?? merged.realtimeRuntime
            merged.realtimePeriod = cpu.realtimePeriod ?? merged.realtimePeriod
            merged.cpus = cpu.cpus ?? merged.cpus
            merged.mems = cpu.mems ?? merged.mems
            merged.idle = cpu.idle ?? merged.idle
            result.cpu = merged
        }
        if let limit = changes.pids?.limit {
            result.pids = LinuxPids(limit: limit)
        }
        if let weight = changes.blockIO?.weight {
            var merged = result.blockIO ?? LinuxBlockIO()
            merged.weight = weight
            result.blockIO = merged
        }
        if let unified = changes.unified {
            result.unified = (result.unified ?? [:]).merging(unified) { _, new in new }
        }
        return result
    }

    /// The part of `resources` an update writes: no device rules (they cannot change; v2
    /// reloads its device program separately), none of the create-only settings (hugepages,
    /// network, rdma), and swappiness and disableOOMKiller only when `changes` names them.
    static func writable(_ merged: LinuxResources, changes: LinuxResources) -> LinuxResources {
        var result = merged
        result.devices = nil
        result.hugepageLimits = nil
        result.network = nil
        result.rdma = nil
        if changes.memory?.disableOOMKiller == nil { result.memory?.disableOOMKiller = nil }
        if changes.memory?.swappiness == nil { result.memory?.swappiness = nil }
        return result
    }
}
