import XCTest
@testable import HullCore

/// The pure parts of update, ps and events: size parsing, merging, ps filtering, saved config.
final class ResourceCommandTests: XCTestCase {
    func testRAMSizes() {
        XCTAssertEqual(RAMSize.bytes("512"), 512)
        XCTAssertEqual(RAMSize.bytes("64m"), 64 << 20)
        XCTAssertEqual(RAMSize.bytes("1G"), 1 << 30)
        XCTAssertEqual(RAMSize.bytes("2GiB"), 2 << 30)
        XCTAssertEqual(RAMSize.bytes("100 kb"), 102_400)
        XCTAssertEqual(RAMSize.bytes("1.5k"), 1536)
        XCTAssertEqual(RAMSize.bytes("-1"), -1)
        XCTAssertNil(RAMSize.bytes("lots"))
        XCTAssertNil(RAMSize.bytes("12x"))
        XCTAssertNil(RAMSize.bytes(""))
    }

    func testMergeKeepsWhatTheUpdateDoesNotName() {
        let current = LinuxResources(memory: LinuxMemory(limit: 100, swap: 200, swappiness: 5), cpu: LinuxCPU(shares: 512, cpus: "0"),
                                     pids: LinuxPids(limit: 10), unified: ["a.b": "1"])
        let changes = LinuxResources(memory: LinuxMemory(limit: 150), cpu: LinuxCPU(quota: 1000), unified: ["c.d": "2"])
        let merged = ResourceUpdate.merge(changes, into: current)
        XCTAssertEqual(merged.memory, LinuxMemory(limit: 150, swap: 200, swappiness: 5))
        XCTAssertEqual(merged.cpu, LinuxCPU(shares: 512, quota: 1000, cpus: "0"))
        XCTAssertEqual(merged.pids, LinuxPids(limit: 10))
        XCTAssertEqual(merged.unified, ["a.b": "1", "c.d": "2"])
        XCTAssertNil(ResourceUpdate.writable(merged, changes: changes).memory?.swappiness, "settings the update does not name are not written again")
        let named = LinuxResources(memory: LinuxMemory(swappiness: 60, disableOOMKiller: false))
        let mergedNamed = ResourceUpdate.merge(named, into: current)
        XCTAssertEqual(mergedNamed.memory, LinuxMemory(limit: 100, swap: 200, swappiness: 60, disableOOMKiller: false))
        let written = ResourceUpdate.writable(mergedNamed, changes: named).memory
        XCTAssertEqual(written?.swappiness, 60)
        XCTAssertEqual(written?.disableOOMKiller, false)
    }

    func testPsTableKeepsTheHeaderAndTheContainersLines() throws {
        let output = """
        UID        PID  PPID  C STIME TTY          TIME CMD
        root         1     0  0 10:00 ?        00:00:01 init
        root      4323     1  0 19:08 ?        00:00:00 sleep 100
        root      4324  4323  0 19:08 ?        00:00:00 sh

        """
        XCTAssertEqual(try ProcessTable.filter(output, pids: [4323, 4324]), """
        UID        PID  PPID  C STIME TTY          TIME CMD
        root      4323     1  0 19:08 ?        00:00:00 sleep 100
        root      4324  4323  0 19:08 ?        00:00:00 sh

        """)
        XCTAssertThrowsError(try ProcessTable.filter("no header\n", pids: [1]))
    }

    func testJSONSettingReplacesOnlyTheNamedMember() throws {
        let document = try JSONParser.parse(Array(#"{"a":1,"linux":{"x":true,"resources":{"old":1}}}"#.utf8))
        let updated = document.setting(["linux", "resources"], to: .object([JSONMember(key: "new", value: .number("2"))]))
        XCTAssertEqual(updated["a"], .number("1"))
        XCTAssertEqual(updated["linux"]?["x"], .bool(true))
        XCTAssertEqual(updated["linux"]?["resources"]?["new"], .number("2"))
        XCTAssertNil(updated["linux"]?["resources"]?["old"])
    }

    func testHugePageSizeNames() {
        for size in CgroupStats.hugePageSizes() {
            XCTAssertTrue(LinuxResources.isPageSize(size), size)
        }
    }
}
