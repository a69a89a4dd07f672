import Foundation
import Glibc
import XCTest

/// `linux.resources` in the cgroup files after create and after update (this v1/hybrid host's
/// files), and what the limits do to a real container.
final class CgroupResourceTests: CgroupTestCase {
    func testCreateWritesEveryResource() throws {
        bundle.setResource("memory", ["limit": 67_108_864, "reservation": 33_554_432, "swap": 134_217_728,
                                      "swappiness": 10, "disableOOMKiller": false, "kernelTCP": 16_777_216])
        bundle.setResource("cpu", ["shares": 512, "quota": 50_000, "period": 100_000, "cpus": "0", "mems": "0"])
        bundle.setResource("pids", ["limit": 32])
        // The v2 guest has no block device to throttle: blockIO is checked on v1 hosts.
        let disk = isUnifiedHost ? (major: 0, minor: 0) : try someBlockDevice()
        if !isUnifiedHost {
            bundle.setResource("blockIO", ["weight": 300, "throttleReadBpsDevice": [["major": disk.major, "minor": disk.minor, "rate": 1_048_576]]])
        }
        let id = makeID("res")
        _ = try createContainer(id)
        if isUnifiedHost {
            try checkV2Files(id, [("memory.max", "67108864"), ("memory.low", "33554432"), ("memory.swap.max", "67108864"),
                                  ("cpu.weight", "20"), ("cpu.max", "50000 100000"), ("cpuset.cpus", "0"), ("pids.max", "32")])
            deleteAndCheck(id)
            return
        }

        XCTAssertEqual(try cgroupFile(id, "memory", "memory.limit_in_bytes"), "67108864")
        XCTAssertEqual(try cgroupFile(id, "memory", "memory.soft_limit_in_bytes"), "33554432")
        XCTAssertEqual(try cgroupFile(id, "memory", "memory.memsw.limit_in_bytes"), "134217728")
        XCTAssertEqual(try cgroupFile(id, "memory", "memory.swappiness"), "10")
        XCTAssertEqual(try cgroupFile(id, "memory", "memory.kmem.tcp.limit_in_bytes"), "16777216")
        XCTAssertEqual(try cgroupFile(id, "cpu", "cpu.shares"), "512")
        XCTAssertEqual(try cgroupFile(id, "cpu", "cpu.cfs_quota_us"), "50000")
        XCTAssertEqual(try cgroupFile(id, "cpu", "cpu.cfs_period_us"), "100000")
        XCTAssertEqual(try cgroupFile(id, "cpuset", "cpuset.cpus"), "0")
        XCTAssertEqual(try cgroupFile(id, "cpuset", "cpuset.mems"), "0")
        XCTAssertEqual(try cgroupFile(id, "pids", "pids.max"), "32")
        XCTAssertEqual(try cgroupFile(id, "blkio", "blkio.bfq.weight"), "300")
        XCTAssertEqual(try cgroupFile(id, "blkio", "blkio.throttle.read_bps_device"), "\(disk.major):\(disk.minor) 1048576")
        let devices = try cgroupFile(id, "devices", "devices.list").split(separator: "\n")
        XCTAssertFalse(devices.contains("a *:* rwm"), "the default config denies all devices first")
        XCTAssertTrue(devices.contains("c 1:3 rwm"), "/dev/null stays allowed: \(devices)")
        deleteAndCheck(id)
    }

    func testOOMKillerDisabledAndUnlimitedMemory() throws {
        bundle.setResource("memory", ["limit": -1, "disableOOMKiller": true])
        let id = makeID("oomctl")
        _ = try createContainer(id)
        if isUnifiedHost {
            try checkV2Files(id, [("memory.max", "max")])
            deleteAndCheck(id)
            return
        }
        XCTAssertTrue(try cgroupFile(id, "memory", "memory.oom_control").contains("oom_kill_disable 1"))
        XCTAssertEqual(try cgroupFile(id, "memory", "memory.limit_in_bytes"), "9223372036854771712")
        deleteAndCheck(id)
    }

    func testUpdateChangesTheFilesAndTheSavedConfig() throws {
        bundle.setResource("memory", ["limit": 67_108_864, "swap": 134_217_728])
        bundle.setResource("pids", ["limit": 32])
        let id = makeID("upd")
        _ = try startContainer(id, ["sleep", "30"])

        let update = hull(["update", "--memory", "256m", "--memory-swap", "512M", "--memory-reservation", "100m",
                           "--pids-limit", "64", "--cpu-shares", "256", "--cpu-quota", "20000", "--cpu-period", "50000",
                           "--cpuset-cpus", "0"] + (isUnifiedHost ? [] : ["--blkio-weight", "200"]) + [id])
        XCTAssertEqual(update.status, 0, update.stderr)
        XCTAssertEqual(update.stdout + update.stderr, "")
        if isUnifiedHost {
            try checkV2Files(id, [("memory.max", "268435456"), ("memory.swap.max", "268435456"), ("memory.low", "104857600"),
                                  ("pids.max", "64"), ("cpu.weight", "10"), ("cpu.max", "20000 50000")])
        } else {
        XCTAssertEqual(try cgroupFile(id, "memory", "memory.limit_in_bytes"), "268435456")
        XCTAssertEqual(try cgroupFile(id, "memory", "memory.memsw.limit_in_bytes"), "536870912")
        XCTAssertEqual(try cgroupFile(id, "memory", "memory.soft_limit_in_bytes"), "104857600")
        XCTAssertEqual(try cgroupFile(id, "pids", "pids.max"), "64")
        XCTAssertEqual(try cgroupFile(id, "cpu", "cpu.shares"), "256")
        XCTAssertEqual(try cgroupFile(id, "cpu", "cpu.cfs_quota_us"), "20000")
        XCTAssertEqual(try cgroupFile(id, "cpu", "cpu.cfs_period_us"), "50000")
        XCTAssertEqual(try cgroupFile(id, "blkio", "blkio.bfq.weight"), "200")
        }

        let saved = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: root.stateDir(of: id) + "/config.json"))) as? [String: Any]
        let resources = (saved?["linux"] as? [String: Any])?["resources"] as? [String: Any]
        XCTAssertEqual((resources?["memory"] as? [String: Any])?["limit"] as? Int, 268_435_456)
        XCTAssertEqual((resources?["pids"] as? [String: Any])?["limit"] as? Int, 64)
        XCTAssertNotNil(resources?["devices"], "what update does not touch stays")

        // Lowering the memory limit below memory+swap again works in either order.
        XCTAssertEqual(hull("update", "--memory", "32m", "--memory-swap", "64m", id).status, 0)
        XCTAssertEqual(try cgroupFile(id, "memory", isUnifiedHost ? "memory.max" : "memory.limit_in_bytes"), "33554432")
        deleteAndCheck(id)
    }

    func testUpdateFromAResourcesFileAndStdin() throws {
        let id = makeID("updr")
        _ = try startContainer(id, ["sleep", "30"])
        let file = try makeScratchDirectory("res") + "/resources.json"
        try #"{"pids":{"limit":40},"cpu":{"shares":300}}"#.write(toFile: file, atomically: true, encoding: .utf8)
        let update = hull("update", "-r", file, id)
        XCTAssertEqual(update.status, 0, update.stderr)
        XCTAssertEqual(try cgroupFile(id, "pids", "pids.max"), "40")
        XCTAssertEqual(try cgroupFile(id, "cpu", isUnifiedHost ? "cpu.weight" : "cpu.shares"), isUnifiedHost ? "12" : "300")

        let child = try ChildProcess(runner.binary, ["--root", root.path, "update", "-r", "-", id], stdin: file)
        XCTAssertEqual(child.wait(timeout: 30), 0, child.stderr)
        let bad = hull("update", "--memory", "lots", id)
        XCTAssertEqual(bad.status, 1)
        XCTAssertEqual(bad.stderr, "update: --memory: invalid size \"lots\" (expected bytes or a size such as 64m)\n")
        deleteAndCheck(id)
    }

    func testUpdateSwappinessAndOOMKillerFromAResourcesFile() throws {
        bundle.setResource("memory", ["limit": 67_108_864])
        let id = makeID("updswap")
        _ = try startContainer(id, ["sleep", "30"])
        let dir = try makeScratchDirectory("swap")
        func update(_ json: String) -> (status: Int32, stdout: String, stderr: String) {
            let file = dir + "/r.json"
            XCTAssertNoThrow(try json.write(toFile: file, atomically: true, encoding: .utf8))
            return hull("update", "-r", file, id)
        }
        func saved() throws -> [String: Any]? {
            let config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: root.stateDir(of: id) + "/config.json"))) as? [String: Any]
            return ((config?["linux"] as? [String: Any])?["resources"] as? [String: Any])?["memory"] as? [String: Any]
        }

        let disable = update(#"{"memory":{"swappiness":30,"disableOOMKiller":true}}"#)
        XCTAssertEqual(disable.status, 0, disable.stderr)
        if isUnifiedHost {
            // No v2 files for either (runc ignores them on v2 too); the limit stays.
            XCTAssertFalse(FileManager.default.fileExists(atPath: try cgroupPaths(id)[""]! + "/memory.swappiness"))
            XCTAssertEqual(try cgroupFile(id, "", "memory.max"), "67108864")
        } else {
            XCTAssertEqual(try cgroupFile(id, "memory", "memory.swappiness"), "30")
            XCTAssertTrue(try cgroupFile(id, "memory", "memory.oom_control").contains("oom_kill_disable 1"))
        }
        XCTAssertEqual(try saved()?["swappiness"] as? Int, 30)
        XCTAssertEqual(try saved()?["disableOOMKiller"] as? Bool, true)

        let enable = update(#"{"memory":{"disableOOMKiller":false}}"#)
        XCTAssertEqual(enable.status, 0, enable.stderr)
        if !isUnifiedHost {
            XCTAssertTrue(try cgroupFile(id, "memory", "memory.oom_control").contains("oom_kill_disable 0"))
            XCTAssertEqual(try cgroupFile(id, "memory", "memory.swappiness"), "30")
        }
        XCTAssertEqual(try saved()?["disableOOMKiller"] as? Bool, false)
        XCTAssertEqual(try saved()?["swappiness"] as? Int, 30)

        let bad = update(#"{"memory":{"swappiness":101}}"#)
        XCTAssertEqual(bad.status, 1)
        XCTAssertEqual(bad.stderr, "update: linux.resources.memory.swappiness: must be between 0 and 100, got 101\n")
        deleteAndCheck(id)
    }

    func testMemoryLimitOOMKillsTheHog() throws {
        bundle.setResource("memory", ["limit": 16_777_216, "swap": 16_777_216])
        let result = runContainer(["sh", "-c", "dd if=/dev/zero of=/dev/null bs=64M count=1 2>/dev/null; echo status=$?"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "status=137\n", "dd is killed by SIGKILL (the OOM killer): \(result.stderr)")
    }

    func testPidsLimitStopsAForkBomb() throws {
        bundle.setResource("pids", ["limit": 8])
        let result = runContainer(["sh", "-c", "i=0; while [ $i -lt 50 ]; do sleep 30 & i=$((i+1)); done; echo all forked"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertFalse(result.stdout.contains("all forked"))
        XCTAssertTrue(result.stderr.contains("can't fork"), result.stderr)
    }

    private func checkV2Files(_ id: String, _ expected: [(String, String)], file: StaticString = #filePath, line: UInt = #line) throws {
        for (name, value) in expected {
            XCTAssertEqual(try cgroupFile(id, "", name), value, name, file: file, line: line)
        }
    }

    func testDeviceRuleDeniesAccess() throws {
        // Major 240 is for local use: no driver answers it, so an allowed open fails with ENXIO
        // and a denied one with EPERM from the device cgroup.
        XCTAssertEqual(mknod(bundle.rootfs + "/testdev", S_IFCHR | 0o666, dev_t(240 << 8) /* makedev(240, 0) */), 0)
        let denied = runContainer(["cat", "/testdev"])
        XCTAssertEqual(denied.status, 1)
        XCTAssertTrue(denied.stderr.contains("Operation not permitted"), denied.stderr)

        bundle.editLinux { linux in
            var resources = linux["resources"] as? [String: Any] ?? [:]
            resources["devices"] = [["allow": false, "access": "rwm"],
                                    ["allow": true, "type": "c", "major": 240, "minor": 0, "access": "r"]]
            linux["resources"] = resources
        }
        let allowed = runContainer(["cat", "/testdev"])
        XCTAssertEqual(allowed.status, 1)
        XCTAssertTrue(allowed.stderr.contains("No such device or address"), allowed.stderr)
    }

    func testBadValuesFailWithTheFieldAndLeaveNothing() throws {
        let cases: [(String, [String: Any], String)] = [
            ("memory", ["limit": -5], "config.json: linux.resources.memory.limit: must be -1 (unlimited) or a number of bytes, got -5\n"),
            ("cpu", ["cpus": "1000"], "config.json: linux.resources.cpu.cpus: write cpuset.cpus \"1000\": numerical result out of range\n"),
            ("blockIO", ["weight": 5], "config.json: linux.resources.blockIO.weight: must be between 10 and 1000, got 5\n"),
        ]
        // v1 clamps cpu.shares silently; hull refuses instead (v2 converts to a weight, as runc).
        let v1Only: [(String, [String: Any], String)] = [
            ("cpu", ["shares": 1_000_000], "config.json: linux.resources.cpu.shares: cpu.shares 1000000 is out of the kernel's range (it set 262144)\n"),
        ]
        for (key, value, message) in cases + (isUnifiedHost ? [] : v1Only) {
            bundle.setResource(key, value)
            let id = makeID("bad")
            let result = hull("create", "--bundle", bundle.path, id)
            XCTAssertEqual(result.status, 1)
            if isUnifiedHost {
                XCTAssertTrue(result.stderr.hasPrefix("config.json: linux.resources.\(key)"), result.stderr)
            } else {
                XCTAssertEqual(result.stderr, message)
            }
            assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
            bundle.editLinux { linux in
                var resources = linux["resources"] as? [String: Any] ?? [:]
                resources[key] = nil
                linux["resources"] = resources
            }
        }
    }

    func testUnknownUnifiedKeyIsAOneLineError() throws {
        assertUnifiedKeyIsRefused("nosuch.knob", id: makeID("unified"),
                                  prefix: "cgroup controller \"nosuch\" is not available")
    }

    func testUnifiedFileTheKernelLacksIsAOneLineError() throws {
        assertUnifiedKeyIsRefused("cgroup.nosuch", id: makeID("unifile"),
                                  prefix: "no file cgroup.nosuch in /sys/fs/cgroup/")
    }

    /// `create` with `linux.resources.unified[key]` fails with a one-line error naming the
    /// key, and leaves nothing behind.
    private func assertUnifiedKeyIsRefused(_ key: String, id: String, prefix: String,
                                           file: StaticString = #filePath, line: UInt = #line) {
        bundle.editLinux { linux in
            var resources = linux["resources"] as? [String: Any] ?? [:]
            resources["unified"] = [key: "1"]
            linux["resources"] = resources
        }
        let result = hull("create", "--bundle", bundle.path, id)
        XCTAssertEqual(result.status, 1, file: file, line: line)
        XCTAssertTrue(result.stderr.hasPrefix("config.json: linux.resources.unified[\"\(key)\"]: \(prefix)"),
                      result.stderr, file: file, line: line)
        XCTAssertEqual(result.stderr.filter { $0 == "\n" }.count, 1, file: file, line: line)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path, file: file, line: line)
    }

    func testUnifiedCoreFileIsWrittenOnTheCgroup2Directory() throws {
        bundle.editLinux { linux in
            var resources = linux["resources"] as? [String: Any] ?? [:]
            resources["unified"] = ["cgroup.max.depth": "3"]
            linux["resources"] = resources
        }
        let id = makeID("unicore")
        _ = try createContainer(id)
        XCTAssertEqual(try cgroupFile(id, "", "cgroup.max.depth"), "3")
        deleteAndCheck(id)
    }
}
