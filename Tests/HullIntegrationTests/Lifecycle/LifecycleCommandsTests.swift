import Foundation
import Glibc
import XCTest

/// create / start / kill / delete / run / state on real busybox containers, checked from outside:
/// the state hull reports, the init process in /proc, exit statuses, and what is left afterwards.
final class LifecycleCommandsTests: LifecycleTestCase {
    // MARK: create, start, kill, delete

    func testCreateStartKillDeleteWalksTheStates() throws {
        bundle.setArgs(["sleep", "30"])
        let id = makeID("walk")
        let pid = try createContainer(id)

        let created = try XCTUnwrap(state(id))
        XCTAssertEqual(created["status"] as? String, "created")
        XCTAssertEqual(created["pid"] as? Int, Int(pid), "pid file and state agree")
        XCTAssertEqual(created["id"] as? String, id)
        XCTAssertEqual(created["bundle"] as? String, bundle.path)
        XCTAssertTrue(ProcFS.isAlive(pid), "the init waits in /proc")
        XCTAssertNotEqual(ProcFS.commandLine(pid), ["sleep", "30"], "not exec'd before start")
        XCTAssertTrue(FileManager.default.fileExists(atPath: root.stateDir(of: id) + "/exec.fifo"))
        XCTAssertFalse(HostLeaks.cgroups(containing: id).isEmpty, "create makes the container's cgroup")

        let start = hull("start", id)
        XCTAssertEqual(start.status, 0, start.stderr)
        XCTAssertEqual(start.stdout, "")
        XCTAssertEqual(status(id), "running")
        waitFor("the init to exec sleep") { ProcFS.commandLine(pid) == ["sleep", "30"] }
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.stateDir(of: id) + "/exec.fifo"),
                       "start consumes the exec fifo")

        let kill = hull("kill", id, "KILL")
        XCTAssertEqual(kill.status, 0, kill.stderr)
        waitFor("the container to stop") { status(id) == "stopped" }
        XCTAssertEqual(state(id)?["pid"] as? Int, 0, "a stopped container reports pid 0, as runc")

        let delete = hull("delete", id)
        XCTAssertEqual(delete.status, 0, delete.stderr)
        XCTAssertEqual(delete.stdout + delete.stderr, "")
        let gone = hull("state", id)
        XCTAssertEqual(gone.status, 1)
        XCTAssertEqual(gone.stderr, "container \"\(id)\" does not exist\n")
        XCTAssertFalse(ProcFS.isAlive(pid))
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testListShowsTheContainerWhileItExists() throws {
        bundle.setArgs(["sleep", "30"])
        let id = makeID("list")
        let pid = try createContainer(id)
        let listed = hull("list", "-f", "json")
        XCTAssertEqual(listed.status, 0, listed.stderr)
        let entries = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(entries.count, 1)
        XCTAssertEqual(entries.first?["id"] as? String, id)
        XCTAssertEqual(entries.first?["pid"] as? Int, Int(pid))
        XCTAssertEqual(entries.first?["status"] as? String, "created")
        XCTAssertEqual(hull("delete", id).status, 0)
        XCTAssertEqual(hull("list", "-q").stdout, "")
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testDeleteOfACreatedContainerNeedsNoForce() throws {
        bundle.setArgs(["sleep", "30"])
        let id = makeID("delcreated")
        let pid = try createContainer(id)
        let delete = hull("delete", id)
        XCTAssertEqual(delete.status, 0, delete.stderr)
        XCTAssertFalse(ProcFS.isAlive(pid), "the waiting init is killed")
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testStartOfARunningOrStoppedContainerFails() throws {
        bundle.setArgs(["sleep", "30"])
        let id = makeID("restart")
        _ = try createContainer(id)
        XCTAssertEqual(hull("start", id).status, 0)

        let again = hull("start", id)
        XCTAssertEqual(again.status, 1)
        XCTAssertEqual(again.stderr, "cannot start a container that is running: \(id)\n")
        XCTAssertEqual(status(id), "running", "a refused start changes nothing")

        XCTAssertEqual(hull("kill", id, "KILL").status, 0)
        waitFor("the container to stop") { status(id) == "stopped" }
        let stopped = hull("start", id)
        XCTAssertEqual(stopped.status, 1)
        XCTAssertEqual(stopped.stderr, "cannot start a container that is stopped: \(id)\n")

        XCTAssertEqual(hull("delete", id).status, 0)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testStartOfUnknownContainerFails() {
        let id = makeID("nostart")
        let result = hull("start", id)
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr, "container \"\(id)\" does not exist\n")
        assertNoStateDir(root: root.path, id: id)
    }

    func testDeleteOfARunningContainerNeedsForce() throws {
        bundle.setArgs(["sleep", "30"])
        let id = makeID("delrunning")
        let pid = try createContainer(id)
        XCTAssertEqual(hull("start", id).status, 0)

        let refused = hull("delete", id)
        XCTAssertEqual(refused.status, 1)
        XCTAssertEqual(refused.stderr, "cannot delete container \(id) that is not stopped: running\n")
        XCTAssertTrue(ProcFS.isAlive(pid))
        XCTAssertEqual(status(id), "running")

        let forced = hull("delete", "--force", id)
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertEqual(forced.stdout + forced.stderr, "")
        XCTAssertFalse(ProcFS.isAlive(pid))
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testDeleteOfUnknownContainer() {
        let id = makeID("nodelete")
        let plain = hull("delete", id)
        XCTAssertEqual(plain.status, 1)
        XCTAssertEqual(plain.stderr, "container \"\(id)\" does not exist\n")

        let forced = hull("delete", "--force", id)
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertEqual(forced.stdout + forced.stderr, "", "delete --force of an unknown ID is silent")
        let short = hull("delete", "-f", id)
        XCTAssertEqual(short.status, 0, short.stderr)
        assertNoStateDir(root: root.path, id: id)
    }

    func testCreateOfAnExistingIDFails() throws {
        bundle.setArgs(["sleep", "30"])
        let id = makeID("dup")
        let pid = try createContainer(id)
        let again = hull("create", "--bundle", bundle.path, id)
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("already exists"), again.stderr)
        XCTAssertTrue(ProcFS.isAlive(pid), "the first container is untouched")
        XCTAssertEqual(state(id)?["pid"] as? Int, Int(pid))
        XCTAssertEqual(hull("delete", id).status, 0)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testConcurrentCreatesOfOneIDLetExactlyOneWin() throws {
        bundle.setArgs(["sleep", "30"])
        let id = makeID("race")
        let args = ["create", "--bundle", bundle.path, id]
        let first = try hullInBackground(args)
        let second = try hullInBackground(args)
        let statuses = [first.wait(timeout: 10), second.wait(timeout: 10)]
        XCTAssertEqual(statuses.compactMap { $0 }.sorted(), [0, 1], "one succeeds, one fails")
        let loser = statuses[0] == 1 ? first : second
        XCTAssertTrue(loser.stderr.contains("already exists"), loser.stderr)
        XCTAssertEqual(status(id), "created")
        let pid = try XCTUnwrap(state(id)?["pid"] as? Int)
        XCTAssertTrue(ProcFS.isAlive(Int32(pid)), "the winner's init survives the loser's cleanup")
        XCTAssertEqual(HostLeaks.processes(withArgsContaining: id).count, 1, "exactly one init")

        XCTAssertEqual(hull("delete", id).status, 0)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testRelativeBundleAndPidFileAreResolvedAgainstTheCallersDirectory() throws {
        // `hull create --bundle . --pid-file pid` from inside the bundle, as engines do.
        let id = makeID("relative")
        bundle.setArgs(["sleep", "30"])
        let result = ChildProcess.run("/bin/sh", ["-c", "cd \"$1\" && exec \"$2\" --root \"$3\" create --pid-file pid \"$4\"",
                                                     "sh", bundle.path, runner.binary, root.path, id])
        XCTAssertEqual(result.status, 0, result.stderr)
        let pid = try String(contentsOfFile: bundle.path + "/pid", encoding: .utf8)
        XCTAssertEqual(state(id)?["pid"] as? Int, Int(pid))
        XCTAssertEqual(state(id)?["bundle"] as? String, bundle.path, "the state holds the absolute bundle")
        XCTAssertEqual(hull("delete", id).status, 0)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testCreatedContainerWritesToTheStdioOfCreate() throws {
        // Without a terminal, the container's stdio is create's (runc's "pass-through" mode).
        bundle.setArgs(["sh", "-c", "echo to-stdout; echo to-stderr >&2"])
        let id = makeID("stdio")
        let create = try hullInBackground(["create", "--bundle", bundle.path, id])
        XCTAssertEqual(create.wait(timeout: 10), 0, create.stderr)
        XCTAssertEqual(create.stdout, "", "nothing before start")
        XCTAssertEqual(hull("start", id).status, 0)
        waitFor("the container to stop") { status(id) == "stopped" }
        XCTAssertEqual(create.stdout, "to-stdout\n")
        XCTAssertEqual(create.stderr, "to-stderr\n")
        XCTAssertEqual(hull("delete", id).status, 0)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testPidfdSocketReceivesAPidfdOfTheInit() throws {
        let socketPath = try makeScratchDirectory("pidfd") + "/pidfd.sock"
        let listener = try UnixListener(path: socketPath)
        bundle.setArgs(["sleep", "30"])
        let id = makeID("pidfd")
        let pid = try createContainer(id, flags: ["--pidfd-socket", socketPath])
        let received = try listener.receiveFileDescriptor()
        defer { close(received) }
        let info = ProcFS.read("/proc/self/fdinfo/\(received)") ?? ""
        XCTAssertTrue(info.split(separator: "\n").contains("Pid:\t\(pid)"), "a pidfd of the init: \(info)")
        XCTAssertEqual(hull("delete", id).status, 0)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testUnreachablePidfdSocketFailsCreateAndLeavesNothing() throws {
        let socketPath = try makeScratchDirectory("pidfd") + "/nobody-listens.sock"
        let id = makeID("pidfdfail")
        let result = hull("create", "--pidfd-socket", socketPath, "--bundle", bundle.path, id)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains(socketPath), result.stderr)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    /// The lines of /proc/PID/cgroup: hierarchy controllers ("" for cgroup v2) -> path.
    private func cgroups(of pid: String) -> [String: String] {
        var groups: [String: String] = [:]
        for line in (ProcFS.read("/proc/\(pid)/cgroup") ?? "").split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3 else { continue }
            groups[fields[1]] = fields[2]
        }
        return groups
    }

    /// Both ways into the cgroup (CgroupEntry): the init cloned by hull, and the init cloned by
    /// an intermediate process that first joins a namespace (here the test's network namespace).
    func testInitIsInItsOwnCgroupBelowTheCallersInEveryHierarchy() throws {
        bundle.setArgs(["sleep", "30"])
        for joinsANamespace in [false, true] {
            if joinsANamespace { bundle.addNamespace("network", path: "/proc/\(getpid())/ns/net") }
            let id = makeID("cgroup")
            let pid = try createContainer(id)
            let own = cgroups(of: "self")
            let container = cgroups(of: String(pid))
            XCTAssertTrue(own.keys.contains { !$0.isEmpty }, "the host has cgroup v1 hierarchies")
            XCTAssertEqual(Set(container.keys), Set(own.keys), "every hierarchy, v1 and v2")
            for (hierarchy, path) in own {
                XCTAssertEqual(container[hierarchy], (path == "/" ? "" : path) + "/" + id,
                               "\(hierarchy), joining a namespace: \(joinsANamespace)")
            }
            XCTAssertEqual(hull("delete", id).status, 0)
            assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
        }
    }

    func testRelativeCgroupsPathIsBelowTheCallersCgroup() throws {
        let id = makeID("cgpath")
        bundle.setCgroupsPath(id + "-parent/leaf")
        bundle.setArgs(["sleep", "30"])
        let pid = try createContainer(id)
        defer {
            // Like runc, delete removes the leaf only; the parent is the test's to remove.
            HostLeaks.cgroups(containing: id + "-parent").forEach { rmdir($0) }
        }
        let own = cgroups(of: "self")
        for (hierarchy, path) in cgroups(of: String(pid)) {
            let base = own[hierarchy] ?? "/"
            XCTAssertEqual(path, (base == "/" ? "" : base) + "/\(id)-parent/leaf", hierarchy)
        }
        XCTAssertEqual(hull("delete", id).status, 0)
        XCTAssertTrue(HostLeaks.cgroups(containing: "leaf").filter { $0.contains(id) }.isEmpty, "the leaf is removed")
        HostLeaks.cgroups(containing: id + "-parent").forEach { rmdir($0) }
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testRunPassesStdinThrough() throws {
        let input = try makeScratchDirectory("stdin") + "/input"
        try "line one\nline two\n".write(toFile: input, atomically: false, encoding: .utf8)
        bundle.setArgs(["sh", "-c", "cat; echo done"])
        let id = makeID("stdin")
        let run = try ChildProcess(runner.binary, ["--root", root.path, "run", "--bundle", bundle.path, id], stdin: input)
        XCTAssertEqual(run.wait(timeout: 10), 0, run.stderr)
        XCTAssertEqual(run.stdout, "line one\nline two\ndone\n")
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    // MARK: kill

    /// `hull run` of a shell that exits 10/11/12 on USR1/HUP/TERM, `hull kill ID SIGNAL` from
    /// outside, and run's exit status says which signal arrived.
    private func killedRunExitStatus(_ signal: String?, file: StaticString = #filePath, line: UInt = #line) throws -> Int32? {
        bundle.setArgs(["sh", "-c", "trap 'exit 10' USR1; trap 'exit 11' HUP; trap 'exit 12' TERM; while :; do sleep 0.05; done"])
        let id = makeID("sig")
        let pidFile = try makeScratchDirectory("pid") + "/pid"
        let run = try hullInBackground(["run", "--bundle", bundle.path, "--pid-file", pidFile, id])
        guard waitFor("the pid file", file: file, line: line, { FileManager.default.fileExists(atPath: pidFile) }),
              let pid = Int32((try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? "") else { return nil }
        waitForHandlers(pid: pid, signals: [SIGUSR1, SIGHUP, SIGTERM], file: file, line: line)

        let kill = hull(["kill", id] + (signal.map { [$0] } ?? []))
        XCTAssertEqual(kill.status, 0, "kill \(signal ?? ""): \(kill.stderr)", file: file, line: line)
        let status = run.wait(timeout: 5)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path, file: file, line: line)
        return status
    }

    func testKillSendsSIGTERMByDefault() throws {
        XCTAssertEqual(try killedRunExitStatus(nil), 12)
    }

    func testKillAcceptsSignalNamesWithAndWithoutSIG() throws {
        XCTAssertEqual(try killedRunExitStatus("USR1"), 10)
        XCTAssertEqual(try killedRunExitStatus("SIGHUP"), 11)
        XCTAssertEqual(try killedRunExitStatus("term"), 12)
    }

    func testKillAcceptsSignalNumbers() throws {
        XCTAssertEqual(try killedRunExitStatus("10"), 10)
        XCTAssertEqual(try killedRunExitStatus("9"), 128 + 9)
    }

    func testKillWithAnInvalidSignalFailsAndChangesNothing() throws {
        bundle.setArgs(["sleep", "30"])
        let id = makeID("badsig")
        let pid = try createContainer(id)
        XCTAssertEqual(hull("start", id).status, 0)
        for (signal, message) in [("SIGFOO", "unknown signal \"SIGFOO\""), ("0", "invalid signal \"0\""),
                                  ("65", "invalid signal \"65\"")] {
            let result = hull("kill", id, signal)
            XCTAssertNotEqual(result.status, 0, signal)
            XCTAssertTrue(result.stderr.contains(message), "\(signal): \(result.stderr)")
        }
        XCTAssertTrue(ProcFS.isAlive(pid))
        XCTAssertEqual(status(id), "running")
        XCTAssertEqual(hull("delete", "--force", id).status, 0)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testKillOfAStoppedOrUnknownContainerFails() throws {
        let id = makeID("killstopped")
        _ = try createContainer(id) // args ["true"]
        XCTAssertEqual(hull("start", id).status, 0)
        waitFor("true to exit") { status(id) == "stopped" }
        let stopped = hull("kill", id, "KILL")
        XCTAssertEqual(stopped.status, 1)
        XCTAssertEqual(stopped.stderr, "container not running\n")

        let unknown = hull("kill", id + "-nope")
        XCTAssertEqual(unknown.status, 1)
        XCTAssertEqual(unknown.stderr, "container \"\(id)-nope\" does not exist\n")
        XCTAssertEqual(hull("delete", id).status, 0)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    /// Processes in the container's cgroup (the v1 pids hierarchy).
    private func cgroupProcesses(_ id: String) -> [Int32] {
        guard let group = HostLeaks.cgroups(containing: id).first(where: { $0.hasPrefix("/sys/fs/cgroup/pids/") }),
              let text = ProcFS.read(group + "/cgroup.procs") else { return [] }
        return text.split(separator: "\n").compactMap { Int32($0) }
    }

    func testKillAllReachesEveryProcessWithoutAPidNamespace() throws {
        // Without a pid namespace, killing the init alone would leave its children running.
        bundle.removeNamespace("pid")
        bundle.setArgs(["sh", "-c", "sleep 31 & sleep 32 & wait"])
        let id = makeID("killall")
        _ = try createContainer(id)
        XCTAssertEqual(hull("start", id).status, 0)
        waitFor("three processes in the cgroup") { cgroupProcesses(id).count == 3 }
        let members = cgroupProcesses(id)

        let kill = hull("kill", "--all", id, "KILL")
        XCTAssertEqual(kill.status, 0, kill.stderr)
        waitFor("every process of the container to die") { members.allSatisfy { !ProcFS.isAlive($0) } }
        XCTAssertEqual(status(id), "stopped")
        XCTAssertEqual(hull("delete", id).status, 0)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testDeleteKillsChildrenThatOutliveTheInit() throws {
        bundle.removeNamespace("pid")
        bundle.setArgs(["sh", "-c", "sleep 33 & sleep 34 & wait"])
        let id = makeID("orphans")
        let pid = try createContainer(id)
        XCTAssertEqual(hull("start", id).status, 0)
        waitFor("three processes in the cgroup") { cgroupProcesses(id).count == 3 }
        let children = cgroupProcesses(id).filter { $0 != pid }

        XCTAssertEqual(hull("kill", id, "KILL").status, 0)
        waitFor("the container to stop") { status(id) == "stopped" }
        XCTAssertTrue(children.allSatisfy(ProcFS.isAlive), "plain kill reaches only the init")

        let delete = hull("delete", id)
        XCTAssertEqual(delete.status, 0, delete.stderr)
        XCTAssertTrue(children.allSatisfy { !ProcFS.isAlive($0) }, "delete kills what is left in the cgroup")
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    // MARK: run

    func testRunReturnsTheContainersExitStatus() {
        let result = runContainer(["sh", "-c", "echo out; echo err >&2; exit 7"])
        XCTAssertEqual(result.status, 7)
        XCTAssertEqual(result.stdout, "out\n")
        XCTAssertEqual(result.stderr, "err\n")
        XCTAssertEqual(runContainer(["true"]).status, 0)
        XCTAssertEqual(runContainer(["false"]).status, 1)
    }

    func testRunOfAContainerKilledBySignalReturns128PlusN() throws {
        bundle.setArgs(["sleep", "30"])
        let id = makeID("sigkill")
        let pidFile = try makeScratchDirectory("pid") + "/pid"
        let run = try hullInBackground(["run", "--bundle", bundle.path, "--pid-file", pidFile, id])
        waitFor("the pid file") { FileManager.default.fileExists(atPath: pidFile) }
        let pid = try XCTUnwrap(Int32(String(contentsOfFile: pidFile, encoding: .utf8)))
        waitFor("sleep to run") { ProcFS.commandLine(pid) == ["sleep", "30"] }
        XCTAssertEqual(kill(pid, SIGKILL), 0)
        XCTAssertEqual(run.wait(timeout: 5), 128 + 9)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testRunForwardsSignalsToTheContainer() throws {
        bundle.setArgs(["sh", "-c", "trap 'exit 3' TERM; trap 'exit 4' INT; while :; do sleep 0.05; done"])
        for (signal, expected) in [(SIGTERM, Int32(3)), (SIGINT, 4)] {
            let id = makeID("fwd")
            let pidFile = try makeScratchDirectory("pid") + "/pid"
            let run = try hullInBackground(["run", "--bundle", bundle.path, "--pid-file", pidFile, id])
            waitFor("the pid file") { FileManager.default.fileExists(atPath: pidFile) }
            let pid = try XCTUnwrap(Int32(String(contentsOfFile: pidFile, encoding: .utf8)))
            waitForHandlers(pid: pid, signals: [SIGTERM, SIGINT])
            run.send(signal)
            XCTAssertEqual(run.wait(timeout: 5), expected, "signal \(signal): \(run.stderr)")
            assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
        }
    }

    func testRunDetachLeavesTheContainerRunning() throws {
        bundle.setArgs(["sleep", "30"])
        let id = makeID("detach")
        let started = Date()
        let result = hull("run", "--detach", "--bundle", bundle.path, id)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "run --detach does not wait")
        XCTAssertEqual(status(id), "running")
        let pid = try XCTUnwrap(state(id)?["pid"] as? Int)
        XCTAssertEqual(ProcFS.commandLine(Int32(pid)), ["sleep", "30"])

        XCTAssertEqual(hull("kill", id, "KILL").status, 0)
        waitFor("the container to stop") { status(id) == "stopped" }
        XCTAssertEqual(hull("delete", id).status, 0)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testRunKeepLeavesAStoppedContainer() {
        bundle.setArgs(["sh", "-c", "exit 5"])
        let id = makeID("keep")
        let result = hull("run", "--keep", "--bundle", bundle.path, id)
        XCTAssertEqual(result.status, 5, result.stderr)
        XCTAssertEqual(status(id), "stopped")
        XCTAssertFalse(HostLeaks.cgroups(containing: id).isEmpty, "the cgroup stays until delete")
        let delete = hull("delete", id)
        XCTAssertEqual(delete.status, 0, delete.stderr)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testRunWithoutKeepDeletesTheContainer() {
        bundle.setArgs(["true"])
        let id = makeID("nokeep")
        XCTAssertEqual(hull("run", "--bundle", bundle.path, id).status, 0)
        XCTAssertEqual(hull("state", id).status, 1)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testRunOfAnExistingIDFailsAndLeavesTheFirstAlone() throws {
        bundle.setArgs(["sleep", "30"])
        let id = makeID("rundup")
        let pid = try createContainer(id)
        let result = hull("run", "--bundle", bundle.path, id)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("already exists"), result.stderr)
        XCTAssertTrue(ProcFS.isAlive(pid))
        XCTAssertEqual(status(id), "created")
        XCTAssertEqual(hull("delete", id).status, 0)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }
}

/// A listening unix stream socket that takes one file descriptor passed with SCM_RIGHTS.
/// hull connects and sends without waiting for accept (the backlog holds the connection).
private final class UnixListener {
    private let socketFD: Int32

    init(path: String) throws {
        socketFD = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socketFD >= 0 else { throw HarnessError("socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { throw HarnessError("\(path): too long") }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: bytes)
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, listen(socketFD, 4) == 0 else {
            close(socketFD)
            throw HarnessError("bind/listen \(path): \(String(cString: strerror(errno)))")
        }
    }

    deinit {
        close(socketFD)
    }

    /// Accepts the queued connection and returns the descriptor that came with its message.
    func receiveFileDescriptor() throws -> Int32 {
        var poller = pollfd(fd: socketFD, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, 5_000) == 1 else { throw HarnessError("no connection on the socket") }
        let connection = accept(socketFD, nil, nil)
        guard connection >= 0 else { throw HarnessError("accept: \(String(cString: strerror(errno)))") }
        defer { close(connection) }
        var data = [UInt8](repeating: 0, count: 256)
        // struct cmsghdr { size_t len; int level; int type; } followed by the int, padded to 8.
        var control = [UInt8](repeating: 0, count: 32)
        let received = data.withUnsafeMutableBytes { dataBuffer in
            control.withUnsafeMutableBytes { controlBuffer -> Int in
                var vector = iovec(iov_base: dataBuffer.baseAddress, iov_len: dataBuffer.count)
                return withUnsafeMutablePointer(to: &vector) { vectorPointer in
                    var message = msghdr()
                    message.msg_iov = vectorPointer
                    message.msg_iovlen = 1
                    message.msg_control = controlBuffer.baseAddress
                    message.msg_controllen = controlBuffer.count
                    return recvmsg(connection, &message, 0)
                }
            }
        }
        guard received >= 0 else { throw HarnessError("recvmsg: \(String(cString: strerror(errno)))") }
        let level = control.withUnsafeBytes { $0.load(fromByteOffset: 8, as: Int32.self) }
        let type = control.withUnsafeBytes { $0.load(fromByteOffset: 12, as: Int32.self) }
        guard level == SOL_SOCKET, type == Int32(SCM_RIGHTS) else { throw HarnessError("no SCM_RIGHTS in the message") }
        return control.withUnsafeBytes { $0.load(fromByteOffset: 16, as: Int32.self) }
    }
}
