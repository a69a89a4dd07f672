import Foundation
import Glibc
import XCTest

/// pause, resume, ps, events --stats, kill --all and delete --force through the cgroup.
final class CgroupCommandTests: CgroupTestCase {
    func testPauseFreezesAndResumeThaws() throws {
        let id = makeID("pause")
        let pid = try startContainer(id, ["sleep", "30"])
        waitFor("sleep to run") { ProcFS.commandLine(pid) == ["sleep", "30"] }

        let pause = hull("pause", id)
        XCTAssertEqual(pause.status, 0, pause.stderr)
        XCTAssertEqual(status(id), "paused")
        if isUnifiedHost {
            XCTAssertTrue(try cgroupFile(id, "", "cgroup.events").contains("frozen 1"))
        } else {
            XCTAssertEqual(try cgroupFile(id, "freezer", "freezer.state"), "FROZEN")
            XCTAssertEqual(ProcFS.statusField(pid: pid, "State")?.first, "D", "a v1-frozen task sleeps uninterruptibly")
        }
        let listed = hull("list", "-f", "json")
        XCTAssertTrue(listed.stdout.contains("\"status\":\"paused\""), listed.stdout)
        XCTAssertEqual(hull("pause", id).stderr, "container not running\n")

        let resume = hull("resume", id)
        XCTAssertEqual(resume.status, 0, resume.stderr)
        XCTAssertEqual(status(id), "running")
        XCTAssertEqual(ProcFS.statusField(pid: pid, "State")?.first, "S")
        XCTAssertEqual(hull("resume", id).stderr, "container not paused\n")
        deleteAndCheck(id)
    }

    func testDeleteForceOfAPausedContainer() throws {
        let id = makeID("pausedel")
        _ = try startContainer(id, ["sleep", "30"])
        XCTAssertEqual(hull("pause", id).status, 0)
        XCTAssertEqual(hull("delete", id).stderr, "cannot delete container \(id) that is not stopped: paused\n")
        deleteAndCheck(id)
    }

    func testKillAllReachesEveryProcessOfAPausedContainer() throws {
        bundle.removeNamespace("pid")
        let id = makeID("killall")
        let pid = try startContainer(id, ["sh", "-c", "sleep 31 & sleep 32"])
        waitFor("both sleeps") { HostLeaks.processes(withArgsContaining: "sleep 31").count == 1 }
        XCTAssertEqual(hull("pause", id).status, 0)
        let kill = hull("kill", "--all", id, "KILL")
        XCTAssertEqual(kill.status, 0, kill.stderr)
        waitFor("the container to stop") { status(id) == "stopped" }
        assertNoProcess(withArgsContaining: "sleep 31")
        XCTAssertFalse(ProcFS.isAlive(pid))
        deleteAndCheck(id)
    }

    func testPsListsTheContainersProcesses() throws {
        let id = makeID("ps")
        let pid = try startContainer(id, ["sh", "-c", "sleep 33 & exec sleep 34"])
        // The init execs `sleep 34` after starting `sleep 33` in the background.
        waitFor("both sleeps", timeout: 15) {
            ProcFS.commandLine(pid) == ["sleep", "34"]
                && HostLeaks.processes(withArgsContaining: "sleep 33").contains { ProcFS.commandLine($0.pid) == ["sleep", "33"] }
        }

        let json = hull("ps", "--format", "json", id)
        XCTAssertEqual(json.status, 0, json.stderr)
        let pids = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [Int])
        XCTAssertEqual(pids.count, 2, json.stdout)
        XCTAssertTrue(pids.contains(Int(pid)))

        let table = hull("ps", id)
        XCTAssertEqual(table.status, 0, table.stderr)
        let lines = table.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 3, table.stdout)
        XCTAssertTrue(lines[0].contains("PID"))
        XCTAssertTrue(table.stdout.contains("sleep 33") && table.stdout.contains("sleep 34"), table.stdout)

        let custom = hull("ps", id, "-o", "pid,comm")
        XCTAssertEqual(custom.stdout.split(separator: "\n").count, 3, custom.stdout + custom.stderr)
        deleteAndCheck(id)
    }

    func testEventsStatsPrintsRuncsStatsObject() throws {
        bundle.setResource("pids", ["limit": 20])
        bundle.setResource("memory", ["limit": 67_108_864])
        let id = makeID("stats")
        _ = try startContainer(id, ["sleep", "30"])
        let events = hull("events", "--stats", id)
        XCTAssertEqual(events.status, 0, events.stderr)
        XCTAssertTrue(events.stdout.hasSuffix("}\n"))
        XCTAssertEqual(events.stdout.filter { $0 == "\n" }.count, 1, "one compact object")
        let event = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(events.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(event["type"] as? String, "stats")
        XCTAssertEqual(event["id"] as? String, id)
        let data = try XCTUnwrap(event["data"] as? [String: Any])
        XCTAssertEqual(Set(data.keys), ["cpu", "cpuset", "memory", "pids", "blkio", "hugetlb", "intel_rdt", "network_interfaces"])
        let pids = try XCTUnwrap(data["pids"] as? [String: Any])
        XCTAssertEqual(pids["current"] as? Int, 1)
        XCTAssertEqual(pids["limit"] as? Int, 20)
        let memory = try XCTUnwrap(data["memory"] as? [String: Any])
        let usage = try XCTUnwrap(memory["usage"] as? [String: Any])
        XCTAssertEqual(usage["limit"] as? Int, 67_108_864)
        XCTAssertGreaterThan(usage["usage"] as? Int ?? 0, 0)
        let cpu = try XCTUnwrap((data["cpu"] as? [String: Any])?["usage"] as? [String: Any])
        XCTAssertGreaterThan(cpu["total"] as? Int ?? 0, 0)
        XCTAssertNotNil(cpu["kernel"])

        XCTAssertEqual(hull("kill", id, "KILL").status, 0)
        waitFor("the container to stop") { status(id) == "stopped" }
        XCTAssertEqual(hull("events", "--stats", id).stderr, "container with id \(id) is not running\n")
        deleteAndCheck(id)
    }

    func testEventsStreamReportsStatsAndTheOOMKill() throws {
        bundle.setResource("memory", ["limit": 16_777_216, "swap": 16_777_216])
        let shared = try makeScratchDirectory("oom")
        bundle.addBindMount(source: shared, destination: "/tmp", extraOptions: [])
        let id = makeID("oomev")
        // The hog starts only once the test has the stream running and creates /tmp/go.
        _ = try startContainer(id, ["sh", "-c", "while [ ! -e /tmp/go ]; do sleep 1; done; dd if=/dev/zero of=/dev/null bs=64M count=1; sleep 30"])
        let stream = try hullInBackground(["events", "--interval", "200ms", id])
        waitFor("the first stats event") { stream.stdout.contains("\"type\":\"stats\"") }
        XCTAssertFalse(stream.stdout.contains("\"type\":\"oom\""), "no OOM yet")
        XCTAssertTrue(FileManager.default.createFile(atPath: shared + "/go", contents: nil))
        waitFor("the OOM event", timeout: 10) { stream.stdout.contains("{\"type\":\"oom\",\"id\":\"\(id)\"}\n") }
        XCTAssertEqual(hull("kill", id, "KILL").status, 0)
        XCTAssertEqual(stream.wait(timeout: 10), 0, "the stream ends when the container stops: \(stream.stderr)")
        deleteAndCheck(id)
    }

    func testEventsStreamReportsAnOOMWhenTheKillerIsDisabled() throws {
        // v1: nothing is killed, the hog waits in the OOM state, and the memory controller's
        // OOM eventfd (cgroup.event_control) still reports it, as for runc. v2 has no switch
        // (runc ignores it too): there the hog is killed and reported.
        bundle.setResource("memory", ["limit": 16_777_216, "swap": 16_777_216, "disableOOMKiller": true])
        let shared = try makeScratchDirectory("oomoff")
        bundle.addBindMount(source: shared, destination: "/tmp", extraOptions: [])
        let id = makeID("oomoff")
        // The hog grows a string in user space: with the killer disabled, only a user page fault
        // waits in the OOM state (and is reported); a charge inside read(2), as dd's from
        // /dev/zero, just fails with EFAULT, and then no OOM event comes.
        _ = try startContainer(id, ["sh", "-c", "while [ ! -e /tmp/go ]; do sleep 1; done; (a=0123456789abcdef; while :; do a=$a$a; done); sleep 30"])
        let stream = try hullInBackground(["events", "--interval", "10s", id])
        waitFor("the first stats event") { stream.stdout.contains("\"type\":\"stats\"") }
        XCTAssertTrue(FileManager.default.createFile(atPath: shared + "/go", contents: nil))
        waitFor("the OOM event", timeout: 10) { stream.stdout.contains("{\"type\":\"oom\",\"id\":\"\(id)\"}\n") }
        if !isUnifiedHost {
            XCTAssertTrue(try cgroupFile(id, "memory", "memory.oom_control").contains("under_oom 1"))
        }
        XCTAssertEqual(stream.stdout.components(separatedBy: "\"type\":\"stats\"").count - 1, 1,
                       "no stats event before the 10 s interval: the OOM woke the stream")
        XCTAssertEqual(hull("kill", id, "KILL").status, 0)
        XCTAssertEqual(stream.wait(timeout: 10), 0, "the stream ends when the container stops: \(stream.stderr)")
        deleteAndCheck(id)
    }
}
