import XCTest
@testable import HullCore

/// The systemd driver's translations, decided without systemd: cgroupsPath to unit and slice
/// (runc's rules), resources to unit properties (runc's conversions), device rules to
/// DevicePolicy/DeviceAllow, and the org.systemd.property.* annotations. SystemdCgroupTests
/// shows them applied by a real systemd in the QEMU guest.
final class SystemdDriverTests: XCTestCase {
    private func unit(_ path: String?, id: String = "web") throws -> SystemdUnitName {
        try SystemdUnitName(cgroupsPath: path, id: id)
    }

    func testUnitNamesAndSlicesFollowRunc() throws {
        let full = try unit("machine.slice:libpod:abc")
        XCTAssertEqual(full.slice, "machine.slice")
        XCTAssertEqual(full.unit, "libpod-abc.scope")
        XCTAssertEqual(full.cgroup, "/machine.slice/libpod-abc.scope")
        XCTAssertFalse(full.isSlice)

        let empty = try unit(nil)
        XCTAssertEqual(empty.unit, "hull-web.scope")
        XCTAssertEqual(empty.cgroup, "/system.slice/hull-web.scope")
        XCTAssertEqual(try unit("").unit, "hull-web.scope")

        let defaults = try unit("::x")
        XCTAssertEqual(defaults.slice, "system.slice")
        XCTAssertEqual(defaults.unit, "-x.scope")
        XCTAssertEqual(try unit("a.slice:p:").unit, "p-.scope")

        XCTAssertEqual(try unit("a-b-c.slice:p:n").cgroup, "/a.slice/a-b.slice/a-b-c.slice/p-n.scope")
        XCTAssertEqual(try unit("-.slice:p:n").cgroup, "/p-n.scope")

        let slice = try unit("system.slice:p:inner.slice")
        XCTAssertTrue(slice.isSlice)
        XCTAssertEqual(slice.unit, "inner.slice")
    }

    func testMalformedCgroupsPathsNameTheField() {
        let cases: [(String, String)] = [
            ("/sys/web", "config.json: linux.cgroupsPath: expected \"slice:prefix:name\" with the systemd cgroup driver, got \"/sys/web\""),
            ("a:b", "config.json: linux.cgroupsPath: expected \"slice:prefix:name\" with the systemd cgroup driver, got \"a:b\""),
            ("a:b:c:d", "config.json: linux.cgroupsPath: expected \"slice:prefix:name\" with the systemd cgroup driver, got \"a:b:c:d\""),
            ("system:p:n", "config.json: linux.cgroupsPath: invalid slice name \"system\" (a NAME.slice without \"/\", dashes name parent slices)"),
            (".slice:p:n", "config.json: linux.cgroupsPath: invalid slice name \".slice\" (a NAME.slice without \"/\", dashes name parent slices)"),
            ("a--b.slice:p:n", "config.json: linux.cgroupsPath: invalid slice name \"a--b.slice\" (a NAME.slice without \"/\", dashes name parent slices)"),
            ("-a.slice:p:n", "config.json: linux.cgroupsPath: invalid slice name \"-a.slice\" (a NAME.slice without \"/\", dashes name parent slices)"),
            ("a/b.slice:p:n", "config.json: linux.cgroupsPath: invalid slice name \"a/b.slice\" (a NAME.slice without \"/\", dashes name parent slices)"),
            ("a.slice:p:../n", "config.json: linux.cgroupsPath: the name \"../n\" must not contain \"/\""),
        ]
        for (path, message) in cases {
            XCTAssertThrowsError(try unit(path), path) { XCTAssertEqual(($0 as? HullError)?.message, message) }
        }
    }

    func testResourcesBecomeRuncsV2Properties() throws {
        let resources = LinuxResources(
            memory: LinuxMemory(limit: 64 << 20, reservation: 32 << 20, swap: 96 << 20),
            cpu: LinuxCPU(shares: 1024, quota: 50_000, period: 100_000, cpus: "0,2-3,9", mems: "0"),
            pids: LinuxPids(limit: 42),
            blockIO: LinuxBlockIO(weight: 500))
        let properties = try SystemdResources.properties(resources)
        XCTAssertEqual(properties, [
            SystemdProperty("MemoryMax", .uint64(64 << 20)),
            SystemdProperty("MemoryLow", .uint64(32 << 20)),
            SystemdProperty("MemorySwapMax", .uint64(32 << 20)),
            SystemdProperty("CPUWeight", .uint64(39)),
            SystemdProperty("CPUQuotaPeriodUSec", .uint64(100_000)),
            SystemdProperty("CPUQuotaPerSecUSec", .uint64(500_000)),
            SystemdProperty("AllowedCPUs", .bytes([0b0000_1101, 0b0000_0010])),
            SystemdProperty("AllowedMemoryNodes", .bytes([1])),
            SystemdProperty("TasksMax", .uint64(42)),
            SystemdProperty("IOWeight", .uint64(4950)),
        ])
        XCTAssertEqual(try SystemdResources.properties(nil), [])
    }

    func testLimitsOfMinusOneAreInfinityAndQuotasRoundUp() throws {
        let unlimited = LinuxResources(memory: LinuxMemory(limit: -1, swap: -1), pids: LinuxPids(limit: -1))
        XCTAssertEqual(try SystemdResources.properties(unlimited), [
            SystemdProperty("MemoryMax", .uint64(.max)),
            SystemdProperty("MemorySwapMax", .uint64(.max)),
            SystemdProperty("TasksMax", .uint64(.max)),
        ])
        // 12345/100000 of a CPU is 123450 us per second: systemd keeps percents, so 130000.
        XCTAssertEqual(SystemdResources.quota(12_345, period: 0), [SystemdProperty("CPUQuotaPerSecUSec", .uint64(130_000))])
        XCTAssertEqual(SystemdResources.quota(-1, period: 0), [SystemdProperty("CPUQuotaPerSecUSec", .uint64(.max))])
        XCTAssertEqual(SystemdResources.quota(0, period: 0), [])
        XCTAssertEqual(try SystemdResources.properties(LinuxResources(cpu: LinuxCPU(idle: 1))), [SystemdProperty("CPUWeight", .uint64(0))])
    }

    func testUnifiedKeysSystemdKnowsBecomeProperties() throws {
        XCTAssertEqual(try SystemdResources.unified([
            "memory.high": "1048576", "memory.max": "max", "pids.max": "0", "cpu.weight": "7",
            "cpu.max": "max 50000", "cpuset.mems": "1", "io.max": "8:0 rbps=1", "memory.oom.group": "1",
        ]), [
            SystemdProperty("CPUQuotaPeriodUSec", .uint64(50_000)),
            SystemdProperty("CPUQuotaPerSecUSec", .uint64(.max)),
            SystemdProperty("CPUWeight", .uint64(7)),
            SystemdProperty("AllowedMemoryNodes", .bytes([2])),
            SystemdProperty("MemoryHigh", .uint64(1_048_576)),
            SystemdProperty("MemoryMax", .uint64(.max)),
            SystemdProperty("TasksMax", .uint64(1)),
        ])
        XCTAssertThrowsError(try SystemdResources.unified(["memory.high": "lots"])) {
            XCTAssertEqual(($0 as? HullError)?.message,
                           "linux.resources.unified[\"memory.high\"]: \"lots\" cannot be converted to a systemd property")
        }
    }

    func testDeviceRulesBecomeAStrictAllowList() {
        let rules = CgroupDeviceRules.rules(
            resources: [LinuxDeviceCgroup(allow: false, access: "rwm"), LinuxDeviceCgroup(allow: true, type: "c", major: 10, minor: 229, access: "rw")],
            devices: [])
        let properties = SystemdDevices.properties(rules)
        XCTAssertEqual(properties?.first, SystemdProperty("DeviceAllow", .deviceAllow([])))
        XCTAssertEqual(properties?[1], SystemdProperty("DevicePolicy", .string("strict")))
        guard case .deviceAllow(let entries)? = properties?.last?.value else { return XCTFail("no DeviceAllow list") }
        XCTAssertEqual(entries.first, .init(path: "/dev/char/10:229", permissions: "rw"))
        XCTAssertTrue(entries.contains(.init(path: "char-*", permissions: "m")))
        XCTAssertTrue(entries.contains(.init(path: "block-*", permissions: "m")))
        XCTAssertTrue(entries.contains(.init(path: "char-136", permissions: "rwm")))
        XCTAssertTrue(entries.contains(.init(path: "/dev/char/1:3", permissions: "rwm")))
    }

    func testDeviceRulesSystemdCannotSayAreLeftToHull() {
        let allowAll = CgroupDeviceRules.rules(resources: [LinuxDeviceCgroup(allow: true, access: "rwm")], devices: [])
        XCTAssertEqual(SystemdDevices.properties(allowAll),
                       [SystemdProperty("DeviceAllow", .deviceAllow([])), SystemdProperty("DevicePolicy", .string("auto"))])
        let punched = CgroupDeviceRules.rules(
            resources: [LinuxDeviceCgroup(allow: true, type: "c", major: 1, access: "rwm"),
                        LinuxDeviceCgroup(allow: false, type: "c", major: 1, minor: 3, access: "w")],
            devices: [])
        XCTAssertNil(SystemdDevices.properties(punched))
        let anyMajor = CgroupDeviceRules.rules(resources: [LinuxDeviceCgroup(allow: true, type: "c", minor: 3, access: "r")], devices: [])
        XCTAssertNil(SystemdDevices.properties(anyMajor))
    }

    func testAnnotationsInGVariantTextFormat() throws {
        let properties = try SystemdAnnotations.properties([
            "org.systemd.property.CollectMode": "'inactive-or-failed'",
            "org.systemd.property.TimeoutStopUSec": "uint64 123456789",
            "org.systemd.property.TimeoutStopSec": "7",
            "org.systemd.property.SendSIGHUP": "true",
            "org.systemd.property.Environment": "['A=1', \"B=2\"]",
            "org.systemd.property.CPUWeight": "@t 50",
            "other": "ignored",
        ])
        XCTAssertEqual(properties, [
            SystemdProperty("CPUWeight", .uint64(50)),
            SystemdProperty("CollectMode", .string("inactive-or-failed")),
            SystemdProperty("Environment", .strings(["A=1", "B=2"])),
            SystemdProperty("SendSIGHUP", .bool(true)),
            SystemdProperty("TimeoutStopUSec", .uint64(7_000_000)),
            SystemdProperty("TimeoutStopUSec", .uint64(123_456_789)),
        ])
    }

    func testBadAnnotationsNameTheAnnotation() {
        let cases: [(String, String, String)] = [
            ("org.systemd.property.Ab", "true", "config.json: annotations[\"org.systemd.property.Ab\"]: the property name \"Ab\" must be at least 3 ASCII letters"),
            ("org.systemd.property.Foo1", "true", "config.json: annotations[\"org.systemd.property.Foo1\"]: the property name \"Foo1\" must be at least 3 ASCII letters"),
            ("org.systemd.property.Foo", "uint64 x", "config.json: annotations[\"org.systemd.property.Foo\"]: cannot parse \"uint64 x\" as a GVariant value (true, 'text', uint64 5, ['a'], ...)"),
            ("org.systemd.property.TimeoutSec", "'soon'", "config.json: annotations[\"org.systemd.property.TimeoutSec\"]: \"'soon'\" is not a number of seconds"),
        ]
        for (key, value, message) in cases {
            XCTAssertThrowsError(try SystemdAnnotations.properties([key: value]), key) {
                XCTAssertEqual(($0 as? HullError)?.message, message)
            }
        }
    }

    func testNoSystemdIsAClearError() {
        XCTAssertThrowsError(try SystemdBus.requireRunning(runDirectory: "/nonexistent/systemd/system")) {
            XCTAssertEqual(($0 as? HullError)?.message,
                           "--systemd-cgroup: systemd is not running on this host (/nonexistent/systemd/system does not exist)")
        }
    }
}
