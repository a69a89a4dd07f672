import Foundation
import Glibc
import XCTest

/// hull SIGKILLed at each step of create, start, exec and delete (HULL_TEST_FAULT, see
/// Sources/HullCore/System/FaultInjection.swift): afterwards `state` and `list` tell the truth and
/// `delete --force` removes everything the half-done command left (processes, cgroup, state
/// directory, mounts).
final class FaultTests: LifecycleTestCase {
    /// What `state` must say after hull died at a create point: nil when create died before it
    /// saved a state.json (the ID then does not exist for `state` and `list`).
    private let createPoints: [(point: String, status: String?)] = [
        ("create.state-dir", nil),
        ("create.config", nil),
        ("create.spawned", nil),
        // The init dies with hull (parent-death signal) until it has reported READY.
        ("create.recorded", "stopped"),
        ("create.cgroup", "stopped"),
        ("create.ready", "creating"),
        ("create.saved", "created"),
    ]

    func testKilledCreateLeavesATruthfulStateAndDeleteForceRemovesEverything() throws {
        for (point, expected) in createPoints {
            let id = makeID("fault")
            let marker = uniqueSleep()
            bundle.setArgs(["sleep", marker])
            let create = hullKilledAt(point, ["create", "--bundle", bundle.path, id])
            XCTAssertEqual(create.status, 128 + SIGKILL, "\(point): hull died by SIGKILL: \(create.stderr)")
            assertTruth(id: id, expected: expected, point: point)
            assertDeleteForceRemovesEverything(id: id, marker: marker, point: point)
        }
    }

    func testKilledStartLeavesARunningContainer() throws {
        for point in ["start.released", "start.poststart"] {
            let id = makeID("fault")
            let marker = uniqueSleep()
            bundle.setArgs(["sleep", marker])
            let pid = try createContainer(id)
            let start = hullKilledAt(point, ["start", id])
            XCTAssertEqual(start.status, 128 + SIGKILL, "\(point): hull died by SIGKILL: \(start.stderr)")
            waitFor("\(point): the init to run sleep \(marker)") { ProcFS.commandLine(pid) == ["sleep", marker] }
            assertTruth(id: id, expected: "running", point: point)
            assertOneLineFailure(hull("start", id), mentioning: ["running"])
            assertDeleteForceRemovesEverything(id: id, marker: marker, point: point)
        }
    }

    func testKilledExecLeavesTheContainerRunningAndDeleteForceRemovesTheProcess() throws {
        for point in ["exec.spawned", "exec.joined", "exec.go"] {
            let id = makeID("fault")
            let marker = uniqueSleep()
            try startRunningContainer(id, ["sleep", marker])
            let execMarker = uniqueSleep()
            let killedExec = hullKilledAt(point, ["exec", "--detach", id, "sleep", execMarker])
            XCTAssertEqual(killedExec.status, 128 + SIGKILL, "\(point): hull died by SIGKILL: \(killedExec.stderr)")
            switch point {
            case "exec.spawned":
                // Killed before the process is in the cgroup, the half-made process dies with hull.
                assertNoProcess(withArgsContaining: "sleep \(execMarker)")
            case "exec.go":
                // The process was already running its program: it stays, in the container's cgroup.
                waitFor("\(point): the exec'd sleep to run") {
                    !HostLeaks.processes(withArgsContaining: "sleep \(execMarker)").isEmpty
                }
            default:
                // In the cgroup, where it entered by itself and goes on: it dies with hull or
                // runs its program, and delete --force removes it either way (below).
                break
            }
            assertTruth(id: id, expected: "running", point: point)
            XCTAssertEqual(exec(id, ["true"]).status, 0, "\(point): exec still works")
            assertDeleteForceRemovesEverything(id: id, marker: marker, point: point)
            assertNoProcess(withArgsContaining: "sleep \(execMarker)")
        }
    }

    func testKilledDeleteLeavesAStoppedContainerThatDeleteRemoves() throws {
        for point in ["delete.killed", "delete.cgroup-removed"] {
            let id = makeID("fault")
            let marker = uniqueSleep()
            try startRunningContainer(id, ["sleep", marker])
            let delete = hullKilledAt(point, ["delete", "--force", id])
            XCTAssertEqual(delete.status, 128 + SIGKILL, "\(point): hull died by SIGKILL: \(delete.stderr)")
            assertNoProcess(withArgsContaining: "sleep \(marker)")
            assertTruth(id: id, expected: "stopped", point: point)
            assertDeleteForceRemovesEverything(id: id, marker: marker, point: point)
        }
    }

    /// An unknown point and an unset variable change nothing.
    func testAnUnknownFaultPointIsIgnored() throws {
        let id = makeID("fault")
        bundle.setArgs(["true"])
        let run = hullKilledAt("no.such.point", ["run", "--bundle", bundle.path, id])
        XCTAssertEqual(run.status, 0, run.stderr)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    // MARK: Helpers

    /// `hull --root ROOT ARGS` with HULL_TEST_FAULT=point, through env(1), which execs hull in place.
    func hullKilledAt(_ point: String, _ args: [String]) -> (status: Int32, stdout: String, stderr: String) {
        ChildProcess.run("/usr/bin/env", ["HULL_TEST_FAULT=\(point)", runner.binary, "--root", root.path] + args)
    }

    /// A `sleep` argument no other process on the host has, to find the container's processes by.
    func uniqueSleep() -> String {
        String(UInt32.random(in: 100_000_000...999_999_999))
    }

    /// `state` gives `expected` (or, for nil, a one-line "does not exist"), and `list` agrees.
    func assertTruth(id: String, expected: String?, point: String, file: StaticString = #filePath, line: UInt = #line) {
        let list = hull("list", "--format", "json")
        XCTAssertEqual(list.status, 0, "\(point): list: \(list.stderr)", file: file, line: line)
        let listed = ((try? JSONSerialization.jsonObject(with: Data(list.stdout.utf8))) as? [[String: Any]]) ?? []
        let listedStatus = listed.first { $0["id"] as? String == id }?["status"] as? String
        guard let expected else {
            assertOneLineFailure(hull("state", id), mentioning: ["does not exist"], file: file, line: line)
            XCTAssertNil(listedStatus, "\(point): list shows \(id)", file: file, line: line)
            return
        }
        if expected == "stopped" {
            // The init dies of its parent-death signal a moment after hull.
            waitFor("\(point): state to read stopped", file: file, line: line) { status(id) == "stopped" }
        }
        XCTAssertEqual(status(id), expected, "\(point): state", file: file, line: line)
        let relisted = hull("list", "--format", "json")
        let again = ((try? JSONSerialization.jsonObject(with: Data(relisted.stdout.utf8))) as? [[String: Any]]) ?? []
        XCTAssertEqual(again.first { $0["id"] as? String == id }?["status"] as? String, expected,
                       "\(point): list", file: file, line: line)
    }

    /// `delete --force` succeeds and leaves no process, cgroup, state directory or mount.
    func assertDeleteForceRemovesEverything(
        id: String, marker: String, point: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        let delete = hull("delete", "--force", id)
        XCTAssertEqual(delete.status, 0, "\(point): delete --force: \(delete.stderr)", file: file, line: line)
        XCTAssertEqual(delete.stderr, "", "\(point): delete --force warns", file: file, line: line)
        assertNoProcess(withArgsContaining: "sleep \(marker)", file: file, line: line)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path, file: file, line: line)
        assertOneLineFailure(hull("state", id), mentioning: ["does not exist"], file: file, line: line)
    }
}
