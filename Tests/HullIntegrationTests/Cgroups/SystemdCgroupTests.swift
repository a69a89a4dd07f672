import Foundation
import Glibc
import XCTest

/// `--systemd-cgroup`: the container's cgroup is a transient scope unit that systemd creates.
///
/// With systemd as PID 1 (`make test-systemd`: the cgroup v2 QEMU guest booted with systemd)
/// each test checks the unit from outside, through `systemctl show` and the scope's cgroup
/// files, and that nothing is left in systemd afterwards. On a host without systemd (the
/// development hosts) every test instead checks that `--systemd-cgroup` fails with the one-line
/// "not running" error and leaves nothing behind.
final class SystemdCgroupTests: CgroupTestCase {
    private static let systemdRunning = FileManager.default.fileExists(atPath: "/run/systemd/system")
    private static let noSystemd = "--systemd-cgroup: systemd is not running on this host (/run/systemd/system does not exist)\n"

    /// Whether systemd runs here. Without it, asserts that create and run with
    /// --systemd-cgroup fail with the clear error and leave nothing, and returns false.
    private func requireSystemd(file: StaticString = #filePath, line: UInt = #line) -> Bool {
        if Self.systemdRunning { return true }
        for command in ["create", "run"] {
            let id = makeID("nosd")
            let result = hull(["--systemd-cgroup", command, "--bundle", bundle.path, id])
            XCTAssertEqual(result.status, 1, file: file, line: line)
            XCTAssertEqual(result.stderr, Self.noSystemd, file: file, line: line)
            assertNoLeaks(root: root.path, id: id, bundle: bundle.path, file: file, line: line)
        }
        return false
    }

    /// `systemctl show UNIT -p NAMES`: name -> value.
    private func unitProperties(_ unit: String, _ names: [String]) -> [String: String] {
        let result = ChildProcess.run("/bin/systemctl", ["show", unit, "-p", names.joined(separator: ",")])
        var values: [String: String] = [:]
        for line in result.stdout.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return values
    }

    /// Fails unless systemd knows nothing of `unit` any more.
    private func assertUnitGone(_ unit: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(unitProperties(unit, ["LoadState"])["LoadState"], "not-found", "unit \(unit) is still loaded",
                       file: file, line: line)
    }

    private func setLimits() {
        bundle.setResource("memory", ["limit": 64 << 20, "reservation": 32 << 20, "swap": 96 << 20])
        bundle.setResource("cpu", ["shares": 1024, "quota": 50_000, "period": 100_000, "cpus": "0"])
        bundle.setResource("pids", ["limit": 50])
        bundle.editLinux { linux in
            var resources = linux["resources"] as? [String: Any] ?? [:]
            resources["unified"] = ["memory.high": "\(56 << 20)"]
            linux["resources"] = resources
        }
    }

    func testCreateMakesADelegatedScopeWithTheLimitsAndEveryCommandWorks() throws {
        guard requireSystemd() else { return }
        let id = makeID("sd")
        let unit = "hulltest-\(id).scope"
        bundle.setCgroupsPath("system.slice:hulltest:\(id)")
        bundle.removeNamespace("pid")
        setLimits()
        bundle.setArgs(["sh", "-c", "sleep 41 & exec sleep 42"])
        let pid = try createContainer(id, flags: ["--systemd-cgroup"])
        XCTAssertEqual(hull("start", id).status, 0)

        let shown = unitProperties(unit, ["ActiveState", "Delegate", "Slice", "ControlGroup", "MemoryMax", "MemoryLow",
                                          "MemorySwapMax", "CPUWeight", "CPUQuotaPerSecUSec", "CPUQuotaPeriodUSec",
                                          "TasksMax", "AllowedCPUs", "Description", "DefaultDependencies", "MemoryHigh"])
        XCTAssertEqual(shown["ActiveState"], "active")
        XCTAssertEqual(shown["Delegate"], "yes")
        XCTAssertEqual(shown["Slice"], "system.slice")
        XCTAssertEqual(shown["ControlGroup"], "/system.slice/\(unit)")
        XCTAssertEqual(shown["MemoryMax"], "\(64 << 20)")
        XCTAssertEqual(shown["MemoryLow"], "\(32 << 20)")
        XCTAssertEqual(shown["MemorySwapMax"], "\(32 << 20)")
        XCTAssertEqual(shown["CPUWeight"], "39")
        XCTAssertEqual(shown["CPUQuotaPerSecUSec"], "500ms")
        XCTAssertEqual(shown["CPUQuotaPeriodUSec"], "100ms")
        XCTAssertEqual(shown["TasksMax"], "50")
        XCTAssertEqual(shown["AllowedCPUs"], "0")
        XCTAssertEqual(shown["Description"], "hull container \(id)")
        XCTAssertEqual(shown["DefaultDependencies"], "no")
        XCTAssertEqual(shown["MemoryHigh"], "\(56 << 20)")

        // The same directory in state.json, with the limits in its files and the init in it.
        XCTAssertEqual(try cgroupPaths(id), ["": "/sys/fs/cgroup/system.slice/\(unit)"])
        XCTAssertEqual(try cgroupFile(id, "", "memory.max"), "\(64 << 20)")
        XCTAssertEqual(try cgroupFile(id, "", "memory.swap.max"), "\(32 << 20)")
        XCTAssertEqual(try cgroupFile(id, "", "pids.max"), "50")
        XCTAssertEqual(try cgroupFile(id, "", "memory.high"), "\(56 << 20)")
        XCTAssertEqual(try cgroupFile(id, "", "cpu.max"), "50000 100000")
        XCTAssertEqual(try cgroupFile(id, "", "cpuset.cpus"), "0")
        XCTAssertTrue(try cgroupFile(id, "", "cgroup.procs").split(separator: "\n").contains(Substring("\(pid)")))
        let record = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: root.stateDir(of: id) + "/state.json"))) as? [String: Any]
        XCTAssertEqual(record?["systemdUnit"] as? String, unit)

        // update: systemd's properties and the files.
        // (memory+swap stays 96M: v2's swap alone becomes 16M)
        let update = hull("update", "--memory", "80M", "--pids-limit", "60", "--cpu-quota", "20000", id)
        XCTAssertEqual(update.status, 0, update.stderr)
        let updated = unitProperties(unit, ["MemoryMax", "MemorySwapMax", "TasksMax", "CPUQuotaPerSecUSec"])
        XCTAssertEqual(updated["MemoryMax"], "\(80 << 20)")
        XCTAssertEqual(updated["MemorySwapMax"], "\(16 << 20)")
        XCTAssertEqual(updated["TasksMax"], "60")
        XCTAssertEqual(updated["CPUQuotaPerSecUSec"], "200ms")
        XCTAssertEqual(try cgroupFile(id, "", "memory.max"), "\(80 << 20)")
        XCTAssertEqual(try cgroupFile(id, "", "memory.swap.max"), "\(16 << 20)")
        XCTAssertEqual(try cgroupFile(id, "", "pids.max"), "60")
        XCTAssertEqual(try cgroupFile(id, "", "cpu.max"), "20000 100000")

        // The device rules reach systemd as an allow list, and the devices a container may use
        // still work after the update made systemd apply the unit's settings again.
        let devices = ChildProcess.run("/bin/systemctl", ["show", unit, "-p", "DevicePolicy,DeviceAllow"])
        XCTAssertTrue(devices.stdout.contains("DevicePolicy=strict"), devices.stdout)
        XCTAssertTrue(devices.stdout.contains("/dev/char/1:3 rwm"), devices.stdout)
        XCTAssertTrue(devices.stdout.contains("char-136 rwm"), devices.stdout)
        let nodes = hull("exec", id, "sh", "-c", "echo x > /dev/null && head -c 3 /dev/zero | wc -c")
        XCTAssertEqual(nodes.status, 0, nodes.stderr)
        XCTAssertEqual(nodes.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "3")

        // exec joins the scope; stats and ps read it.
        let exec = hull("exec", id, "cat", "/proc/self/cgroup")
        XCTAssertEqual(exec.status, 0, exec.stderr)
        XCTAssertEqual(exec.stdout, "0::/system.slice/\(unit)\n")
        let stats = hull("events", "--stats", id)
        XCTAssertEqual(stats.status, 0, stats.stderr)
        XCTAssertTrue(stats.stdout.contains("\"pids\":{\"current\":2"), stats.stdout)
        let ps = hull("ps", "--format", "json", id)
        XCTAssertEqual(ps.status, 0, ps.stderr)
        XCTAssertTrue(ps.stdout.contains("\(pid)"), ps.stdout)

        // pause / resume through the scope's cgroup.freeze.
        XCTAssertEqual(hull("pause", id).status, 0)
        XCTAssertEqual(status(id), "paused")
        XCTAssertTrue(try cgroupFile(id, "", "cgroup.events").contains("frozen 1"))
        XCTAssertEqual(hull("resume", id).status, 0)
        XCTAssertEqual(status(id), "running")

        // kill --all reaches both sleeps (no pid namespace: the init's death alone would not).
        let kill = hull("kill", "--all", id, "KILL")
        XCTAssertEqual(kill.status, 0, kill.stderr)
        waitFor("the container to stop") { status(id) == "stopped" }
        assertNoProcess(withArgsContaining: "sleep 41")

        let delete = hull("delete", id)
        XCTAssertEqual(delete.status, 0, delete.stderr)
        assertUnitGone(unit)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testTheScopeMatchesRuncsForTheSameConfig() throws {
        guard requireSystemd() else { return }
        setLimits()
        bundle.setArgs(["sleep", "30"])
        let id = makeID("sdcmp")
        bundle.setCgroupsPath("system.slice:hullcmp:\(id)")
        _ = try createContainer(id, flags: ["--systemd-cgroup"])
        defer { hull("delete", "--force", id) }

        let runcRoot = try makeScratchDirectory("runc-root")
        let runcID = "runc-\(id)"
        bundle.setCgroupsPath("system.slice:runccmp:\(runcID)")
        let runc = try HostCommand.run("runc", ["--root", runcRoot, "--systemd-cgroup", "create", "--bundle", bundle.path, runcID])
        XCTAssertEqual(runc.status, 0, runc.stderr)
        defer { _ = try? HostCommand.run("runc", ["--root", runcRoot, "delete", "--force", runcID]) }

        let names = ["ActiveState", "Delegate", "Slice", "MemoryMax", "MemoryLow", "MemorySwapMax", "CPUWeight",
                     "CPUQuotaPerSecUSec", "CPUQuotaPeriodUSec", "TasksMax", "AllowedCPUs", "MemoryAccounting",
                     "CPUAccounting", "IOAccounting", "TasksAccounting", "DefaultDependencies", "MemoryHigh"]
        let hullUnit = unitProperties("hullcmp-\(id).scope", names)
        let runcUnit = unitProperties("runccmp-\(runcID).scope", names)
        XCTAssertEqual(hullUnit.count, names.count, "\(hullUnit)")
        for name in names {
            XCTAssertEqual(hullUnit[name], runcUnit[name], name)
        }
        for file in ["memory.max", "memory.low", "memory.high", "memory.swap.max", "cpu.max", "cpu.weight", "pids.max", "cpuset.cpus"] {
            let hullValue = try String(contentsOfFile: "/sys/fs/cgroup/system.slice/hullcmp-\(id).scope/\(file)", encoding: .utf8)
            let runcValue = try String(contentsOfFile: "/sys/fs/cgroup/system.slice/runccmp-\(runcID).scope/\(file)", encoding: .utf8)
            XCTAssertEqual(hullValue, runcValue, file)
        }
    }

    func testDefaultsNestedSlicesAnnotationsAndThePrivateSocket() throws {
        guard requireSystemd() else { return }
        // An empty cgroupsPath: hull-ID.scope in system.slice, seen from inside the container.
        bundle.setArgs(["cat", "/proc/self/cgroup"])
        let plain = makeID("sddef")
        let run = hull("--systemd-cgroup", "run", "--bundle", bundle.path, plain)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "0::/system.slice/hull-\(plain).scope\n")
        assertUnitGone("hull-\(plain).scope")
        assertNoLeaks(root: root.path, id: plain, bundle: bundle.path)

        // A nested slice and annotations, through systemd's private socket (no bus).
        let id = makeID("sdnest")
        let unit = "p-\(id).scope"
        bundle.setCgroupsPath("hulltest-nested.slice:p:\(id)")
        bundle.setArgs(["sleep", "30"])
        bundle.config {
            $0["annotations"] = ["org.systemd.property.TimeoutStopSec": "uint64 7",
                                 "org.systemd.property.CollectMode": "'inactive-or-failed'"]
        }
        let pidFile = try makeScratchDirectory("pid") + "/pid"
        let create = ChildProcess.run("/usr/bin/env", ["DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent", runner.binary,
                                                       "--root", root.path, "--systemd-cgroup", "create", "--bundle",
                                                       bundle.path, "--pid-file", pidFile, id])
        XCTAssertEqual(create.status, 0, create.stderr)
        defer { _ = ChildProcess.run("/bin/systemctl", ["stop", "hulltest-nested.slice", "hulltest.slice"]) }
        let shown = unitProperties(unit, ["ActiveState", "Slice", "ControlGroup", "TimeoutStopUSec", "CollectMode"])
        XCTAssertEqual(shown["ActiveState"], "active")
        XCTAssertEqual(shown["Slice"], "hulltest-nested.slice")
        XCTAssertEqual(shown["ControlGroup"], "/hulltest.slice/hulltest-nested.slice/\(unit)")
        XCTAssertEqual(shown["TimeoutStopUSec"], "7s")
        XCTAssertEqual(shown["CollectMode"], "inactive-or-failed")
        XCTAssertEqual(try cgroupPaths(id), ["": "/sys/fs/cgroup/hulltest.slice/hulltest-nested.slice/\(unit)"])
        let delete = hull("delete", "--force", id)
        XCTAssertEqual(delete.status, 0, delete.stderr)
        assertUnitGone(unit)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testACgroupfsContainerWorksBesideASystemdOne() throws {
        guard requireSystemd() else { return }
        bundle.setArgs(["sleep", "30"])
        bundle.setResource("memory", ["limit": 48 << 20])
        let scoped = makeID("sdside")
        bundle.setCgroupsPath("system.slice:hulltest:\(scoped)")
        _ = try createContainer(scoped, flags: ["--systemd-cgroup"])
        // The test runs in a service's cgroup, which holds processes: an absolute path keeps
        // the cgroupfs container out of it.
        let plain = makeID("fsside")
        bundle.setCgroupsPath("/hulltest-\(plain)")
        let create = hull(["create", "--bundle", bundle.path, plain])
        XCTAssertEqual(create.status, 0, create.stderr)
        XCTAssertEqual(try cgroupPaths(plain), ["": "/sys/fs/cgroup/hulltest-\(plain)"])
        XCTAssertEqual(try cgroupFile(plain, "", "memory.max"), "\(48 << 20)")
        let record = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: root.stateDir(of: plain) + "/state.json"))) as? [String: Any]
        XCTAssertNotNil(record)
        XCTAssertNil(record?["systemdUnit"], "a cgroupfs container has no unit")
        XCTAssertEqual(unitProperties("hulltest-\(scoped).scope", ["ActiveState"])["ActiveState"], "active")
        XCTAssertEqual(try cgroupFile(scoped, "", "memory.max"), "\(48 << 20)")
        for id in [plain, scoped] {
            XCTAssertEqual(hull("start", id).status, 0)
            XCTAssertEqual(status(id), "running")
        }
        deleteAndCheck(plain)
        XCTAssertEqual(unitProperties("hulltest-\(scoped).scope", ["ActiveState"])["ActiveState"], "active")
        deleteAndCheck(scoped)
        assertUnitGone("hulltest-\(scoped).scope")
    }

    func testAPropertySystemdRejectsIsItsMessageAndLeavesNothing() throws {
        guard requireSystemd() else { return }
        let id = makeID("sdbad")
        let unit = "hulltest-\(id).scope"
        bundle.setCgroupsPath("system.slice:hulltest:\(id)")
        bundle.setArgs(["sleep", "30"])
        bundle.config { $0["annotations"] = ["org.systemd.property.NoSuchProperty": "true"] }
        let result = hull(["--systemd-cgroup", "create", "--bundle", bundle.path, id])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr, "systemd: start unit \(unit): Cannot set property NoSuchProperty, or unknown property.\n")
        assertUnitGone(unit)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
        assertNoProcess(withArgsContaining: "sleep 30")
    }

    func testACreateKilledOnceTheUnitRunsLeavesNothingAfterDeleteForce() throws {
        guard requireSystemd() else { return }
        for point in ["create.cgroup", "create.ready"] {
            let id = makeID("sdfault")
            let unit = "hulltest-\(id).scope"
            bundle.setCgroupsPath("system.slice:hulltest:\(id)")
            bundle.setArgs(["sleep", "30"])
            let killed = ChildProcess.run("/usr/bin/env", ["HULL_TEST_FAULT=\(point)", runner.binary, "--root", root.path,
                                                           "--systemd-cgroup", "create", "--bundle", bundle.path, id])
            XCTAssertEqual(killed.status, 128 + SIGKILL, point)
            let delete = hull("delete", "--force", id)
            XCTAssertEqual(delete.status, 0, "\(point): \(delete.stderr)")
            assertUnitGone(unit)
            assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
        }
    }

    func testAMalformedCgroupsPathNamesTheField() throws {
        guard requireSystemd() else { return }
        for (path, problem) in [("system.slice:hulltest", "expected \"slice:prefix:name\" with the systemd cgroup driver, got \"system.slice:hulltest\""),
                                ("system:hulltest:x", "invalid slice name \"system\" (a NAME.slice without \"/\", dashes name parent slices)")] {
            let id = makeID("sdpath")
            bundle.setCgroupsPath(path)
            let result = hull(["--systemd-cgroup", "create", "--bundle", bundle.path, id])
            XCTAssertEqual(result.status, 1)
            XCTAssertEqual(result.stderr, "config.json: linux.cgroupsPath: \(problem)\n")
            assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
        }
    }
}
