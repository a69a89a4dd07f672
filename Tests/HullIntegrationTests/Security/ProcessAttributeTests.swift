import Foundation
import Glibc
import XCTest

/// personality, scheduler, ioPriority, and the LSM fields on a host without an LSM.
final class ProcessAttributeTests: LifecycleTestCase {
    func testPersonality() {
        XCTAssertEqual(runContainer(["uname", "-m"]).stdout, "x86_64\n")
        bundle.editLinux { $0["personality"] = ["domain": "LINUX32"] }
        XCTAssertEqual(runContainer(["uname", "-m"]).stdout, "i686\n")
        bundle.editLinux { $0["personality"] = ["domain": "LINUX"] }
        XCTAssertEqual(runContainer(["uname", "-m"]).stdout, "x86_64\n")
    }

    func testSchedulerPolicyAndNice() throws {
        setProcessField("scheduler", ["policy": "SCHED_BATCH", "nice": 7])
        bundle.setArgs(["sleep", "30"])
        let id = makeID("sched")
        let pid = try createContainer(id)
        XCTAssertEqual(hull("start", id).status, 0)
        waitFor("sleep to run") { ProcFS.commandLine(pid) == ["sleep", "30"] }
        // /proc/PID/stat: field 19 is nice, field 41 the policy (SCHED_BATCH is 3).
        let stat = try XCTUnwrap(ProcFS.read("/proc/\(pid)/stat"))
        let fields = stat[stat.range(of: ") ")!.upperBound...].split(separator: " ").map(String.init)
        XCTAssertEqual(fields[19 - 3], "7", "nice")
        XCTAssertEqual(fields[41 - 3], "3", "policy")
        XCTAssertEqual(hull("delete", "--force", id).status, 0)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testIOPriority() throws {
        setProcessField("ioPriority", ["class": "IOPRIO_CLASS_BE", "priority": 6])
        bundle.setArgs(["sleep", "30"])
        let id = makeID("ioprio")
        let pid = try createContainer(id)
        XCTAssertEqual(hull("start", id).status, 0)
        waitFor("sleep to run") { ProcFS.commandLine(pid) == ["sleep", "30"] }
        let ionice = ChildProcess.run("/usr/bin/ionice", ["/usr/bin/ionice", "-p", String(pid)])
        XCTAssertEqual(ionice.stdout, "best-effort: prio 6\n", ionice.stderr)
        XCTAssertEqual(hull("delete", "--force", id).status, 0)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testIdleIOPriority() {
        setProcessField("ioPriority", ["class": "IOPRIO_CLASS_IDLE", "priority": 0])
        let result = runContainer(["ionice"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "idle\n")
    }

    func testApparmorProfileIsRefusedWithoutAppArmor() {
        setProcessField("apparmorProfile", "docker-default")
        let result = runContainer(["true"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("process.apparmorProfile: AppArmor is not supported"), result.stderr)
    }

    func testSelinuxLabelIsRefusedWithoutSELinux() {
        setProcessField("selinuxLabel", "system_u:system_r:container_t:s0")
        let result = runContainer(["true"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("process.selinuxLabel: SELinux is not supported"), result.stderr)
    }

    func testMountLabelIsIgnored() {
        bundle.editLinux { $0["mountLabel"] = "system_u:object_r:container_file_t:s0" }
        XCTAssertEqual(runContainer(["true"]).status, 0)
    }
}
