/// The value conversions runc makes when cgroup v1 style settings (what `linux.resources`
/// speaks) are applied to cgroup v2 files.
public enum CgroupV2Conversion {
    /// cpu.shares [2, 262144] to cpu.weight [1, 10000], linearly (runc 1.1's
    /// ConvertCPUSharesToCgroupV2Value); 0 stays 0 (unset).
    public static func cpuWeight(fromShares shares: UInt64) -> UInt64 {
        guard shares != 0 else { return 0 }
        let clamped = min(max(shares, 2), 262_144)
        return 1 + ((clamped - 2) * 9999) / 262_142
    }

    /// blkio.weight [10, 1000] to io.weight [1, 10000] (runc's ConvertBlkIOToIOWeightValue);
    /// 0 stays 0 (unset).
    public static func ioWeight(fromBlkioWeight weight: UInt16) -> UInt64 {
        guard weight != 0 else { return 0 }
        return 1 + (UInt64(weight) - 10) * 9999 / 990
    }

    /// memory.swap.max from the v1 memory+swap limit and the memory limit (runc's
    /// ConvertMemorySwapToCgroupV2Value): v2 limits swap alone, so the memory limit is taken off.
    /// -1 (unlimited) and 0 (unset) pass through.
    public static func swapMax(memorySwap: Int64, memory: Int64) throws -> Int64 {
        if memorySwap == -1 || memorySwap == 0 { return memorySwap }
        if memory == 0 || memory == -1 {
            throw HullError("linux.resources.memory.swap: cannot be limited without a memory limit")
        }
        if memorySwap < memory {
            throw HullError("linux.resources.memory.swap: must be at least linux.resources.memory.limit (\(memory)), got \(memorySwap)")
        }
        return memorySwap - memory
    }

    /// A limit in a v2 file: -1 is "max", 0 means "not set" (nil), anything else the number.
    static func limitText(_ value: Int64) -> String? {
        switch value {
        case 0: return nil
        case ..<0: return "max"
        default: return String(value)
        }
    }
}
