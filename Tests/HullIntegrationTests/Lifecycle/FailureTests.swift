import Foundation
import Glibc
import XCTest

/// Failures on the way to a running container: each is one clear line on stderr, exit status 1,
/// and leaves nothing behind, including when hull itself is killed half-way.
final class FailureTests: LifecycleTestCase {
    private func assertOneLineError(
        _ result: (status: Int32, stdout: String, stderr: String), containing text: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(result.status, 1, result.stderr, file: file, line: line)
        XCTAssertEqual(result.stdout, "", file: file, line: line)
        XCTAssertTrue(result.stderr.contains(text), "expected \(text) in: \(result.stderr)", file: file, line: line)
        XCTAssertEqual(result.stderr.filter { $0 == "\n" }.count, 1, "one line: \(result.stderr)", file: file, line: line)
    }

    func testMissingBinaryFailsCreate() {
        bundle.setArgs(["nosuchbinary", "arg"])
        let id = makeID("nobin")
        let result = hull("create", "--bundle", bundle.path, id)
        assertOneLineError(result, containing: "exec: \"nosuchbinary\": executable file not found in $PATH")
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testMissingBinaryFailsRun() {
        bundle.setArgs(["nosuchbinary"])
        let id = makeID("nobinrun")
        let result = hull("run", "--bundle", bundle.path, id)
        assertOneLineError(result, containing: "exec: \"nosuchbinary\": executable file not found in $PATH")
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testMissingAbsoluteBinaryAndNonExecutableFileFail() throws {
        bundle.setArgs(["/bin/nosuchbinary"])
        let id = makeID("noabs")
        assertOneLineError(hull("create", "--bundle", bundle.path, id), containing: "/bin/nosuchbinary")
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)

        XCTAssertTrue(FileManager.default.createFile(atPath: bundle.rootfs + "/etc/notexec", contents: Data("x".utf8),
                                                     attributes: [.posixPermissions: 0o644]))
        bundle.setArgs(["/etc/notexec"])
        let id2 = makeID("noexec")
        assertOneLineError(hull("create", "--bundle", bundle.path, id2), containing: "/etc/notexec")
        assertNoLeaks(root: root.path, id: id2, bundle: bundle.path)
    }

    func testTerminalIsRefusedForNow() {
        bundle.setTerminal(true)
        let id = makeID("tty")
        assertOneLineError(hull("create", "--bundle", bundle.path, id), containing: "process.terminal")
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testConfigErrorsLeaveNothingBehind() throws {
        let cases: [(name: String, edit: (BusyboxBundle) -> Void, message: String)] = [
            ("malformed JSON", { $0.writeRawConfig("{not json") }, "config.json"),
            ("empty args", { $0.setArgs([]) }, "process.args"),
            ("unknown namespace", { b in b.editLinux { $0["namespaces"] = [["type": "bogus"]] } }, "bogus"),
            ("missing rootfs", { b in b.config { $0["root"] = ["path": "no-such-rootfs"] } }, "no-such-rootfs"),
            ("relative cwd", { $0.setCwd("relative/dir") }, "process.cwd"),
            ("unknown rlimit", { b in b.config { c in
                var process = c["process"] as? [String: Any] ?? [:]
                process["rlimits"] = [["type": "RLIMIT_BOGUS", "soft": 1, "hard": 1]]
                c["process"] = process
            } }, "RLIMIT_BOGUS"),
            ("hostname without a UTS namespace", { $0.removeNamespace("uts") }, "hostname"),
            ("net sysctl without a network namespace", { b in
                b.removeNamespace("network")
                // The host's own value: even a wrongly applied sysctl would change nothing.
                let current = ProcFS.read("/proc/sys/net/ipv4/ip_forward")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "0"
                b.editLinux { $0["sysctl"] = ["net.ipv4.ip_forward": current] }
            }, "net.ipv4.ip_forward"),
            ("host-wide sysctl", { b in
                let current = ProcFS.read("/proc/sys/vm/swappiness")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "60"
                b.editLinux { $0["sysctl"] = ["vm.swappiness": current] }
            }, "vm.swappiness"),
        ]
        let hostname = ProcFS.read("/proc/sys/kernel/hostname")
        defer { XCTAssertEqual(ProcFS.read("/proc/sys/kernel/hostname"), hostname, "the host keeps its name") }
        for testCase in cases {
            let scratch = try BusyboxBundle()
            defer { scratch.remove() }
            testCase.edit(scratch)
            let id = makeID("config")
            let result = hull("create", "--bundle", scratch.path, id)
            XCTAssertEqual(result.status, 1, "\(testCase.name): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(testCase.message), "\(testCase.name): \(result.stderr)")
            XCTAssertEqual(result.stderr.filter { $0 == "\n" }.count, 1, "\(testCase.name): one line: \(result.stderr)")
            assertNoLeaks(root: root.path, id: id, bundle: scratch.path)
        }
    }

    func testMissingBundleOrConfigFails() throws {
        let id = makeID("nobundle")
        assertOneLineError(hull("create", "--bundle", bundle.path + "/nope", id), containing: "config.json")
        try FileManager.default.removeItem(atPath: bundle.configPath)
        assertOneLineError(hull("create", "--bundle", bundle.path, id), containing: "config.json")
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testInvalidIDFails() {
        for id in ["a/b", "..", ""] {
            let result = hull("create", "--bundle", bundle.path, id)
            XCTAssertEqual(result.status, 1, "\(id): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("invalid container ID"), "\(id): \(result.stderr)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root.path), [], "nothing made in the root")
    }

    func testConsoleSocketIsRefusedForNow() {
        let id = makeID("console")
        assertOneLineError(hull("create", "--console-socket", "/tmp/none.sock", "--bundle", bundle.path, id),
                           containing: "--console-socket")
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testUnwritablePidFileFailsCreateAndLeavesNothing() {
        bundle.setArgs(["sleep", "30"])
        let id = makeID("pidfile")
        let result = hull("create", "--pid-file", bundle.path + "/no-dir/pid", "--bundle", bundle.path, id)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("no-dir/pid"), result.stderr)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testHullKilledDuringCreateCanBeDeleted() throws {
        let out = try makeScratchDirectory("killed")
        // The hook says it started, then blocks create; its unique duration identifies it.
        bundle.config { $0["hooks"] = ["createRuntime": [[
            "path": "/bin/sh", "args": ["sh", "-c", "touch \(out)/started; exec sleep 29.876"],
            "env": ["PATH=/usr/bin:/bin"],
        ]]] }
        bundle.setArgs(["sleep", "30"])
        let id = makeID("killed")
        let create = try hullInBackground(["create", "--bundle", bundle.path, id])
        defer { HostLeaks.processes(withArgsContaining: "sleep 29.876").forEach { kill($0.pid, SIGKILL) } }
        waitFor("the hook to start") { FileManager.default.fileExists(atPath: out + "/started") }
        let statePid = state(id)?["pid"] as? Int
        XCTAssertNotNil(statePid, "create saved the state before running hooks")
        XCTAssertFalse(HostLeaks.cgroups(containing: id).isEmpty, "the cgroup exists by now")

        create.send(SIGKILL)
        XCTAssertEqual(create.wait(timeout: 5), 128 + 9)
        if let statePid {
            waitFor("the half-made init to die with hull") { !ProcFS.isAlive(Int32(statePid)) }
        }
        XCTAssertNotEqual(status(id), "created", "a half-made container never looks startable")
        XCTAssertNotEqual(hull("start", id).status, 0, "and cannot be started")

        let delete = hull("delete", "--force", id)
        XCTAssertEqual(delete.status, 0, delete.stderr)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testHullKilledBeforeAnythingIsSavedCanBeDeleted() throws {
        // A state directory without state.json: what a create killed right after mkdir leaves.
        let id = makeID("bare")
        try FileManager.default.createDirectory(atPath: root.stateDir(of: id), withIntermediateDirectories: false)
        let delete = hull("delete", "--force", id)
        XCTAssertEqual(delete.status, 0, delete.stderr)
        assertNoStateDir(root: root.path, id: id)
    }

    func testInitDyingBeforeStartLeavesAStoppedContainer() throws {
        bundle.setArgs(["sleep", "30"])
        let id = makeID("initdied")
        let pid = try createContainer(id)
        XCTAssertEqual(kill(pid, SIGKILL), 0)
        waitFor("the container to be stopped") { status(id) == "stopped" }
        let start = hull("start", id)
        XCTAssertEqual(start.status, 1)
        XCTAssertTrue(start.stderr.contains("stopped"), start.stderr)
        XCTAssertEqual(hull("delete", id).status, 0)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }
}
