#if canImport(Glibc)
import Glibc
#endif

/// The statistics of `hull events --stats`: runc's `types.Stats` (cpu, cpuset, memory, pids,
/// blkio, hugetlb, intel_rdt, network_interfaces) with its field names and Go's `omitempty`
/// rules, read from the v1 files or the v2 ones.
struct CgroupStats {
    typealias Value = JSONValue
    let cgroup: CgroupManager

    /// The event object `{"type":"stats","id":ID,"data":{...}}`.
    func event(id: String) -> Value {
        .ordered([("type", .string("stats")), ("id", .string(id)), ("data", data())])
    }

    func data() -> Value {
        .ordered([
            ("cpu", cpu()), ("cpuset", cpuset()), ("memory", memory()), ("pids", pids()), ("blkio", blkio()),
            ("hugetlb", hugetlb()), ("intel_rdt", .ordered([])), ("network_interfaces", .null),
        ])
    }

    // MARK: cpu

    private func cpu() -> Value {
        var total: UInt64 = 0, user: UInt64 = 0, kernel: UInt64 = 0
        var percpu: [UInt64] = [], percpuUser: [UInt64] = [], percpuKernel: [UInt64] = []
        let stat: [String: UInt64]
        if cgroup.isUnified {
            stat = keyed(read("", "cpu.stat"))
            total = (stat["usage_usec"] ?? 0) * 1000
            user = (stat["user_usec"] ?? 0) * 1000
            kernel = (stat["system_usec"] ?? 0) * 1000
        } else {
            total = number(read("cpuacct", "cpuacct.usage"))
            percpu = numbers(read("cpuacct", "cpuacct.usage_percpu"))
            percpuUser = numbers(read("cpuacct", "cpuacct.usage_percpu_user"))
            percpuKernel = numbers(read("cpuacct", "cpuacct.usage_percpu_sys"))
            // cpuacct.stat counts clock ticks (USER_HZ, 100 a second).
            let ticks = keyed(read("cpuacct", "cpuacct.stat"))
            let nanosPerTick = UInt64(1_000_000_000) / UInt64(max(sysconf(Int32(_SC_CLK_TCK)), 1))
            user = (ticks["user"] ?? 0) * nanosPerTick
            kernel = (ticks["system"] ?? 0) * nanosPerTick
            stat = keyed(read("cpu", "cpu.stat"))
        }
        let throttledTime = cgroup.isUnified ? (stat["throttled_usec"] ?? 0) * 1000 : (stat["throttled_time"] ?? 0)
        let usage = omitEmpty([
            ("total", uint(total)), ("percpu", list(percpu)), ("percpu_kernel", list(percpuKernel)),
            ("percpu_user", list(percpuUser)),
        ]) + [("kernel", .int(Int64(clamping: kernel))), ("user", .int(Int64(clamping: user)))]
        let throttling = omitEmpty([
            ("periods", uint(stat["nr_periods"] ?? 0)), ("throttledPeriods", uint(stat["nr_throttled"] ?? 0)),
            ("throttledTime", uint(throttledTime)),
        ])
        return .ordered([("usage", .ordered(usage)), ("throttling", .ordered(throttling))])
    }

    // MARK: cpuset

    private func cpuset() -> Value {
        let cpus = CPUList.parse(read("cpuset", cgroup.isUnified ? "cpuset.cpus.effective" : "cpuset.cpus")) ?? []
        let mems = CPUList.parse(read("cpuset", cgroup.isUnified ? "cpuset.mems.effective" : "cpuset.mems")) ?? []
        let expand = { (ranges: [ClosedRange<Int>]) in ranges.flatMap { Array($0) }.map { Value.int(Int64($0)) } }
        var members = omitEmpty([("cpus", .array(expand(cpus)))])
        for (key, file) in [("cpu_exclusive", "cpuset.cpu_exclusive")] { members.append((key, .int(Int64(number(read("cpuset", file)))))) }
        members += omitEmpty([("mems", .array(expand(mems)))])
        for (key, file) in [
            ("mem_hardwall", "cpuset.mem_hardwall"), ("mem_exclusive", "cpuset.mem_exclusive"),
            ("memory_migrate", "cpuset.memory_migrate"), ("memory_spread_page", "cpuset.memory_spread_page"),
            ("memory_spread_slab", "cpuset.memory_spread_slab"), ("memory_pressure", "cpuset.memory_pressure"),
            ("sched_load_balance", "cpuset.sched_load_balance"),
        ] {
            members.append((key, .int(Int64(number(read("cpuset", file))))))
        }
        members.append(("sched_relax_domain_level", .int(Int64(read("cpuset", "cpuset.sched_relax_domain_level")) ?? 0)))
        return .ordered(members)
    }

    // MARK: memory

    private func memory() -> Value {
        let raw = keyed(read("memory", "memory.stat"))
        var members: [(String, Value)] = []
        if cgroup.isUnified {
            let usage = number(read("", "memory.current"))
            let swapUsage = number(read("", "memory.swap.current"))
            members = omitEmpty([("cache", uint(raw["file"] ?? 0))])
            members.append(("usage", entry(limit: limit(read("", "memory.max")), usage: usage,
                                           max: number(read("", "memory.peak")),
                                           failcnt: keyed(read("", "memory.events"))["max"] ?? 0)))
            members.append(("swap", entry(limit: limit(read("", "memory.swap.max")), usage: usage + swapUsage,
                                          max: 0, failcnt: keyed(read("", "memory.swap.events"))["max"] ?? 0)))
            members.append(("kernel", entry(limit: 0, usage: 0, max: 0, failcnt: 0)))
            members.append(("kernelTCP", entry(limit: 0, usage: 0, max: 0, failcnt: 0)))
        } else {
            members = omitEmpty([("cache", uint(raw["cache"] ?? 0))])
            for (key, prefix) in [("usage", "memory."), ("swap", "memory.memsw."), ("kernel", "memory.kmem."),
                                  ("kernelTCP", "memory.kmem.tcp.")] {
                members.append((key, entry(limit: number(read("memory", prefix + "limit_in_bytes")),
                                           usage: number(read("memory", prefix + "usage_in_bytes")),
                                           max: number(read("memory", prefix + "max_usage_in_bytes")),
                                           failcnt: number(read("memory", prefix + "failcnt")))))
            }
        }
        if !raw.isEmpty {
            members.append(("raw", .ordered(raw.sorted { $0.key < $1.key }.map { ($0.key, uint($0.value)) })))
        }
        return .ordered(members)
    }

    private func entry(limit: UInt64, usage: UInt64, max: UInt64, failcnt: UInt64) -> Value {
        .ordered([("limit", uint(limit))] + omitEmpty([("usage", uint(usage)), ("max", uint(max))]) + [("failcnt", uint(failcnt))])
    }

    // MARK: pids, blkio, hugetlb

    private func pids() -> Value {
        .ordered(omitEmpty([("current", uint(number(read("pids", "pids.current")))),
                           ("limit", uint(number(read("pids", "pids.max"))))]))
    }

    private func blkio() -> Value {
        if cgroup.isUnified {
            var bytes: [Value] = [], ios: [Value] = []
            for line in read("", "io.stat").split(separator: "\n") {
                let fields = line.split(separator: " ")
                guard let device = fields.first else { continue }
                let values = keyed(fields.dropFirst().joined(separator: "\n"), separator: "=")
                bytes += [blkioEntry(device, "Read", values["rbytes"] ?? 0), blkioEntry(device, "Write", values["wbytes"] ?? 0)]
                ios += [blkioEntry(device, "Read", values["rios"] ?? 0), blkioEntry(device, "Write", values["wios"] ?? 0)]
            }
            return .ordered(omitEmpty([("ioServiceBytesRecursive", .array(bytes)), ("ioServicedRecursive", .array(ios))]))
        }
        let prefix = cgroup.fileProbe().exists("blkio", "blkio.bfq.io_service_bytes_recursive") ? "blkio.bfq." : "blkio.throttle."
        return .ordered(omitEmpty([
            ("ioServiceBytesRecursive", .array(blkioEntries(read("blkio", prefix + "io_service_bytes_recursive")))),
            ("ioServicedRecursive", .array(blkioEntries(read("blkio", prefix + "io_serviced_recursive")))),
        ]))
    }

    /// v1 lines "8:0 Read 4096"; the closing "Total N" line is not an entry.
    private func blkioEntries(_ text: String) -> [Value] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count == 3 else { return nil }
            return blkioEntry(fields[0], String(fields[1]), UInt64(fields[2]) ?? 0)
        }
    }

    private func blkioEntry(_ device: Substring, _ op: String, _ value: UInt64) -> Value {
        let numbers = device.split(separator: ":").map { UInt64($0) ?? 0 }
        return .ordered(omitEmpty([
            ("major", uint(numbers.first ?? 0)), ("minor", uint(numbers.dropFirst().first ?? 0)),
            ("op", .string(op)), ("value", uint(value)),
        ]))
    }

    private func hugetlb() -> Value {
        guard let dir = cgroup.directory(for: "hugetlb") else { return .ordered([]) }
        var members: [(String, Value)] = []
        for size in Self.hugePageSizes() {
            let v1 = "hugetlb.\(size)."
            if FileIO.exists(dir + "/" + v1 + "usage_in_bytes") {
                members.append((size, .ordered(omitEmpty([("usage", uint(number(read("hugetlb", v1 + "usage_in_bytes")))),
                                                          ("max", uint(number(read("hugetlb", v1 + "max_usage_in_bytes"))))])
                                              + [("failcnt", uint(number(read("hugetlb", v1 + "failcnt"))))])))
            } else if FileIO.exists(dir + "/" + v1 + "current") {
                members.append((size, .ordered(omitEmpty([("usage", uint(number(read("hugetlb", v1 + "current"))))])
                                              + [("failcnt", uint(keyed(read("hugetlb", v1 + "events"))["max"] ?? 0))])))
            }
        }
        return .ordered(members)
    }

    /// "2MB", "1GB" from /sys/kernel/mm/hugepages/hugepages-2048kB ...
    static func hugePageSizes() -> [String] {
        guard let names = try? StateFileSystem.directoryEntries("/sys/kernel/mm/hugepages") else { return [] }
        return names.compactMap { name -> String? in
            guard name.hasPrefix("hugepages-"), name.hasSuffix("kB"), let kb = Int(name.dropFirst(10).dropLast(2)) else { return nil }
            if kb >= 1 << 20, kb % (1 << 20) == 0 { return "\(kb >> 20)GB" }
            if kb >= 1 << 10, kb % (1 << 10) == 0 { return "\(kb >> 10)MB" }
            return "\(kb)KB"
        }.sorted()
    }

    // MARK: reading

    private func read(_ controller: String, _ file: String) -> String {
        (cgroup.fileProbe().read(controller, file) ?? "").trimmingWhitespace
    }

    private func number(_ text: String) -> UInt64 { UInt64(text) ?? 0 }

    private func numbers(_ text: String) -> [UInt64] {
        text.split(separator: " ").compactMap { UInt64($0) }
    }

    /// "max" is no limit.
    private func limit(_ text: String) -> UInt64 { text == "max" ? UInt64.max : number(text) }

    /// "key value" lines (or key=value with `separator`).
    private func keyed(_ text: String, separator: Character = " ") -> [String: UInt64] {
        var result: [String: UInt64] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: separator, maxSplits: 1)
            if parts.count == 2, let value = UInt64(String(parts[1]).trimmingWhitespace) { result[String(parts[0])] = value }
        }
        return result
    }

    /// Exact, as Go prints a uint64: an unlimited v2 limit shows as 2^64-1, as in runc.
    private func uint(_ value: UInt64) -> Value { .int(value) }

    private func list(_ values: [UInt64]) -> Value { .array(values.map(uint)) }

    /// Go's omitempty: zero numbers, empty strings and empty arrays are left out.
    private func omitEmpty(_ members: [(String, Value)]) -> [(String, Value)] {
        members.filter { _, value in
            switch value {
            case .number("0"), .string(""), .array([]): return false
            default: return true
            }
        }
    }
}
