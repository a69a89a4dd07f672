import Foundation
import Glibc
import XCTest

/// A state root in a bad way: state.json missing, empty, corrupt or of the wrong shape, a state
/// disk that is full, a bundle deleted while its container runs. hull gives a one-line error
/// naming the file, `delete --force` still removes the container (its processes and cgroup
/// too), and a neighbour container in the same root is never touched.
final class BadStateTests: LifecycleTestCase {
    /// What replaces state.json, and what the error must then say.
    private let damages: [(name: String, contents: String?, error: String)] = [
        ("missing", nil, "does not exist"),
        ("empty", "", "invalid state: not valid JSON"),
        ("corrupt", "{\"id\": \"x\", garbage", "invalid state: not valid JSON"),
        ("wrong type", "{\"id\": 5}", "invalid state: id: expected a string"),
        ("wrong record", "[1, 2, 3]", "invalid state"),
    ]

    func testDamagedStateGivesOneLineErrorsAndDeleteForceRemovesEverything() throws {
        let neighbour = makeID("neighbour")
        let neighbourPid = try startRunningContainer(neighbour)
        for damage in damages {
            let id = makeID("bad")
            bundle.setArgs(["sleep", "1000"])
            let pid = try createContainer(id)
            let stateFile = root.path + "/" + id + "/state.json"
            if let contents = damage.contents {
                try contents.write(toFile: stateFile, atomically: false, encoding: .utf8)
            } else {
                XCTAssertEqual(unlink(stateFile), 0)
            }
            for command in [["state", id], ["kill", id, "KILL"], ["delete", id], ["start", id]] {
                let result = hull(command)
                assertOneLineFailure(result, mentioning: [damage.error])
                if damage.contents != nil {
                    XCTAssertTrue(result.stderr.contains(stateFile), "\(damage.name): \(command[0]) names the file: \(result.stderr)")
                }
            }
            let list = hull("list", "--quiet")
            XCTAssertEqual(list.status, 0, "\(damage.name): list: \(list.stderr)")
            XCTAssertEqual(list.stdout.split(separator: "\n").map(String.init), [neighbour], "\(damage.name): list")
            if damage.contents != nil {
                XCTAssertTrue(list.stderr.contains("load container \(id)"), "\(damage.name): list warns: \(list.stderr)")
            }

            let delete = hull("delete", "--force", id)
            XCTAssertEqual(delete.status, 0, "\(damage.name): delete --force: \(delete.stderr)")
            waitFor("\(damage.name): the init \(pid) to be gone") { !ProcFS.isAlive(pid) }
            assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
            XCTAssertEqual(status(neighbour), "running", "\(damage.name): the neighbour is untouched")
        }
        XCTAssertTrue(ProcFS.isAlive(neighbourPid))
        XCTAssertEqual(hull("delete", "--force", neighbour).status, 0)
        assertNoLeaks(root: root.path, id: neighbour, bundle: bundle.path)
    }

    /// A state disk with no room: create fails with the write that did not fit and leaves no
    /// directory, process or cgroup; the containers already there are untouched.
    func testFullStateDiskFailsCreateCleanly() throws {
        let full = try makeScratchDirectory("full-root")
        XCTAssertEqual(ChildProcess.run("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", full]).status, 0)
        defer { _ = ChildProcess.run("/bin/umount", ["-l", full]) }
        bundle.setArgs(["sleep", "1000"])
        let neighbour = makeID("neighbour")
        let created = ChildProcess.run(runner.binary, ["--root", full, "create", "--bundle", bundle.path, neighbour])
        XCTAssertEqual(created.status, 0, created.stderr)
        defer { _ = ChildProcess.run(runner.binary, ["--root", full, "delete", "--force", neighbour]) }
        // Fill what is left of the 64 KiB.
        _ = ChildProcess.run("/bin/dd", ["if=/dev/zero", "of=\(full)/filler", "bs=1k", "count=64"])

        let id = makeID("full")
        let create = ChildProcess.run(runner.binary, ["--root", full, "create", "--bundle", bundle.path, id])
        XCTAssertEqual(create.status, 1)
        XCTAssertEqual(create.stderr.split(separator: "\n").count, 1, create.stderr)
        XCTAssertTrue(create.stderr.contains("no space left on device"), create.stderr)
        assertNoLeaks(root: full, id: id, bundle: bundle.path)
        assertNoProcess(withArgsContaining: "create --bundle \(bundle.path) \(id)")
        let state = ChildProcess.run(runner.binary, ["--root", full, "state", neighbour])
        XCTAssertEqual(state.status, 0, state.stderr)
        XCTAssertTrue(state.stdout.contains("\"created\""), state.stdout)
    }

    /// The bundle (and with it the rootfs's files) removed while the container runs: state,
    /// kill and delete work from what hull saved; exec fails saying why.
    func testBundleDeletedWhileRunning() throws {
        let gone = try BusyboxBundle(args: ["sleep", "1000"])
        let id = makeID("gone")
        let run = hull("run", "--detach", "--bundle", gone.path, id)
        XCTAssertEqual(run.status, 0, run.stderr)
        gone.remove()
        XCTAssertFalse(FileManager.default.fileExists(atPath: gone.path))

        XCTAssertEqual(status(id), "running")
        assertOneLineFailure(exec(id, ["true"]), mentioning: ["root file system is gone"])
        XCTAssertEqual(hull("kill", id, "KILL").status, 0)
        waitFor("the container to stop") { self.status(id) == "stopped" }
        let delete = hull("delete", id)
        XCTAssertEqual(delete.status, 0, delete.stderr)
        assertNoLeaks(root: root.path, id: id, bundle: gone.path)
    }
}
