import ArgumentParser
import HullCore

/// `hull update ID`: changes the resource limits of a running container (runc's flags). With
/// `-r FILE` (`-` for stdin) the limits come from a JSON `linux.resources` object and the
/// other flags are ignored, as in runc.
struct UpdateCommand: HullCommand {
    static let configuration = CommandConfiguration(
        commandName: "update", abstract: "Update the resource limits of a container.")

    @OptionGroup(title: "Global Options") var global: GlobalOptions

    @Option(name: [.customShort("r"), .customLong("resources")], help: "A file of JSON resources, - for stdin.")
    var resources: String?

    @Option(name: .customLong("blkio-weight"), help: "Block IO weight (10 to 1000).") var blkioWeight: UInt16?
    @Option(name: .customLong("cpu-period"), help: "CPU CFS period in microseconds.") var cpuPeriod: UInt64?
    @Option(name: .customLong("cpu-quota"), help: "CPU CFS quota in microseconds per period.") var cpuQuota: Int64?
    @Option(name: .customLong("cpu-burst"), help: "CPU CFS burst in microseconds.") var cpuBurst: UInt64?
    @Option(name: [.customLong("cpu-share"), .customLong("cpu-shares")], help: "CPU shares (relative weight).") var cpuShares: UInt64?
    @Option(name: .customLong("cpu-rt-period"), help: "Realtime period in microseconds.") var cpuRtPeriod: UInt64?
    @Option(name: .customLong("cpu-rt-runtime"), help: "Realtime runtime in microseconds.") var cpuRtRuntime: Int64?
    @Option(name: .customLong("cpuset-cpus"), help: "CPUs to use (0-3, 0,1).") var cpusetCpus: String?
    @Option(name: .customLong("cpuset-mems"), help: "Memory nodes to use (0-3, 0,1).") var cpusetMems: String?
    @Option(name: .customLong("memory"), help: "Memory limit (bytes, or with a unit: 64m, 1g; -1 unlimited).") var memory: String?
    @Option(name: .customLong("memory-reservation"), help: "Memory soft limit.") var memoryReservation: String?
    @Option(name: .customLong("memory-swap"), help: "Memory plus swap limit.") var memorySwap: String?
    @Option(name: .customLong("kernel-memory"), help: "Kernel memory limit (ignored, as by runc).") var kernelMemory: String?
    @Option(name: .customLong("kernel-memory-tcp"), help: "Kernel TCP buffer limit.") var kernelMemoryTCP: String?
    @Option(name: .customLong("pids-limit"), help: "Maximum number of pids (-1 unlimited).") var pidsLimit: Int64?

    @Argument(help: ArgumentHelp("The container ID.", valueName: "container-id"))
    var id: String

    func execute() throws {
        let changes = try resources.map(LinuxResources.load(from:)) ?? flagResources()
        try Lifecycle(store: global.store).update(id: id, changes: changes)
    }

    private func flagResources() throws -> LinuxResources {
        var result = LinuxResources()
        let sizes = try [memory, memoryReservation, memorySwap, kernelMemoryTCP].enumerated().map { index, text in
            try text.map { try size($0, flag: ["memory", "memory-reservation", "memory-swap", "kernel-memory-tcp"][index]) }
        }
        if let kernelMemory { _ = try size(kernelMemory, flag: "kernel-memory") }
        if sizes.contains(where: { $0 != nil }) {
            result.memory = LinuxMemory(limit: sizes[0], reservation: sizes[1], swap: sizes[2], kernelTCP: sizes[3])
        }
        if [cpuPeriod, cpuBurst, cpuShares, cpuRtPeriod].contains(where: { $0 != nil }) || cpuQuota != nil
            || cpuRtRuntime != nil || cpusetCpus != nil || cpusetMems != nil {
            result.cpu = LinuxCPU(shares: cpuShares, quota: cpuQuota, burst: cpuBurst, period: cpuPeriod,
                                  realtimeRuntime: cpuRtRuntime, realtimePeriod: cpuRtPeriod, cpus: cpusetCpus, mems: cpusetMems)
        }
        if let pidsLimit { result.pids = LinuxPids(limit: pidsLimit) }
        if let blkioWeight { result.blockIO = LinuxBlockIO(weight: blkioWeight) }
        return result
    }

    private func size(_ text: String, flag: String) throws -> Int64 {
        guard let bytes = RAMSize.bytes(text) else {
            throw HullError("update: --\(flag): invalid size \"\(text)\" (expected bytes or a size such as 64m)")
        }
        return bytes
    }
}
