import XCTest
@testable import HullCore

/// What the v1 and v2 plans write for `linux.resources`, with the cgroup's files faked.
final class CgroupPlanTests: XCTestCase {
    private func probe(existing: Set<String> = [], values: [String: String] = [:]) -> CgroupFileProbe {
        CgroupFileProbe(exists: { _, file in existing.contains(file) }, read: { _, file in values[file] })
    }

    private func lines(_ writes: [CgroupWrite]) -> [String] {
        writes.map { "\($0.controller)/\($0.file)=\($0.value)" }
    }

    private let resources = LinuxResources(
        memory: LinuxMemory(limit: 100, reservation: 50, swap: 300, swappiness: 10, disableOOMKiller: true),
        cpu: LinuxCPU(shares: 1024, quota: 50_000, period: 100_000, cpus: "0-1", mems: "0"),
        pids: LinuxPids(limit: 32),
        blockIO: LinuxBlockIO(weight: 500, throttleReadBpsDevice: [LinuxThrottleDevice(major: 8, minor: 0, rate: 1000)]),
        hugepageLimits: [LinuxHugepageLimit(pageSize: "2MB", limit: 4096)],
        unified: ["memory.high": "90"]
    )

    func testV1Plan() throws {
        let plan = CgroupV1Plan(probe: probe(existing: ["memory.memsw.limit_in_bytes"], values: ["memory.limit_in_bytes": "1000"]))
        XCTAssertEqual(lines(try plan.writes(resources, includeDevices: false)), [
            "memory/memory.limit_in_bytes=100", "memory/memory.memsw.limit_in_bytes=300",
            "memory/memory.soft_limit_in_bytes=50", "memory/memory.swappiness=10", "memory/memory.oom_control=1",
            "cpu/cpu.shares=1024", "cpu/cpu.cfs_period_us=100000", "cpu/cpu.cfs_quota_us=50000",
            "cpuset/cpuset.cpus=0-1", "cpuset/cpuset.mems=0", "pids/pids.max=32",
            "blkio/blkio.bfq.weight=500", "blkio/blkio.throttle.read_bps_device=8:0 1000",
            "hugetlb/hugetlb.2MB.limit_in_bytes=4096", "/memory.high=90",
        ])
    }

    func testV1MemoryOrderKeepsLimitBelowSwap() throws {
        // The current limit (10) is below the new memory+swap (300): memsw first.
        let raising = CgroupV1Plan(probe: probe(existing: ["memory.memsw.limit_in_bytes"], values: ["memory.limit_in_bytes": "10"]))
        let writes = try raising.writes(LinuxResources(memory: LinuxMemory(limit: 200, swap: 300)), includeDevices: false)
        XCTAssertEqual(lines(writes), ["memory/memory.memsw.limit_in_bytes=300", "memory/memory.limit_in_bytes=200"])
        let unlimited = try raising.writes(LinuxResources(memory: LinuxMemory(limit: -1)), includeDevices: false)
        XCTAssertEqual(lines(unlimited), ["memory/memory.memsw.limit_in_bytes=-1", "memory/memory.limit_in_bytes=-1"])
    }

    func testV1DeviceRulesStartFromDenyAll() throws {
        let rules = [LinuxDeviceCgroup(allow: false, access: "rwm"), LinuxDeviceCgroup(allow: true, type: "c", major: 4, access: "r")]
        let plan = CgroupV1Plan(probe: probe())
        let writes = try plan.writes(LinuxResources(devices: rules), devices: [LinuxDevice(path: "/dev/fuse", type: "c", major: 10, minor: 229)])
        XCTAssertEqual(Array(lines(writes).prefix(4)), [
            "devices/devices.deny=a", "devices/devices.deny=a", "devices/devices.allow=c 4:* r",
            "devices/devices.allow=c 10:229 rwm",
        ])
        XCTAssertTrue(lines(writes).contains("devices/devices.allow=c 1:3 rwm"), "/dev/null is always allowed")
        XCTAssertEqual(writes[2].field, "linux.resources.devices[1]")
        // Without linux.resources.devices the rules still apply, as in runc: deny all, then the defaults.
        let defaults = lines(try plan.writes(LinuxResources()))
        XCTAssertEqual(defaults.first, "devices/devices.deny=a")
        XCTAssertEqual(defaults.count, 1 + CgroupDeviceRules.alwaysAllowed.count)
    }

    func testV2Plan() throws {
        let plan = CgroupV2Plan(probe: probe(existing: ["memory.swap.max"]))
        XCTAssertEqual(lines(try plan.writes(resources)), [
            "/memory.swap.max=200", "/memory.max=100", "/memory.low=50",
            "/cpu.weight=39", "/cpu.max=50000 100000", "/cpuset.cpus=0-1", "/cpuset.mems=0", "/pids.max=32",
            "/io.weight=default 4950", "/io.max=8:0 rbps=1000", "/hugetlb.2MB.max=4096", "/memory.high=90",
        ])
        XCTAssertEqual(CgroupV2Plan.controllers(for: resources), ["memory", "cpu", "cpuset", "pids", "io", "hugetlb"])
    }

    func testV2QuotaWithoutPeriodAndUnlimited() throws {
        let plan = CgroupV2Plan(probe: probe())
        XCTAssertEqual(lines(try plan.writes(LinuxResources(cpu: LinuxCPU(quota: -1)))), ["/cpu.max=max"])
        XCTAssertEqual(lines(try plan.writes(LinuxResources(cpu: LinuxCPU(quota: 20_000)))), ["/cpu.max=20000"])
        XCTAssertEqual(lines(try plan.writes(LinuxResources(pids: LinuxPids(limit: -1)))), ["/pids.max=max"])
        // Equal memory and memory+swap: no swap at all (asked for only where the kernel has swap).
        XCTAssertEqual(lines(try plan.writes(LinuxResources(memory: LinuxMemory(limit: 100, swap: 100)))), ["/memory.max=100"])
        let withSwap = CgroupV2Plan(probe: probe(existing: ["memory.swap.max"]))
        XCTAssertEqual(lines(try withSwap.writes(LinuxResources(memory: LinuxMemory(limit: 100, swap: 100)))),
                       ["/memory.swap.max=0", "/memory.max=100"])
        XCTAssertThrowsError(try plan.writes(LinuxResources(cpu: LinuxCPU(realtimeRuntime: 100))))
    }

    func testV2BFQWeightIsNotConverted() throws {
        let plan = CgroupV2Plan(probe: probe(existing: ["io.bfq.weight"]))
        XCTAssertEqual(lines(try plan.writes(LinuxResources(blockIO: LinuxBlockIO(weight: 500)))), ["/io.bfq.weight=500"])
    }
}
