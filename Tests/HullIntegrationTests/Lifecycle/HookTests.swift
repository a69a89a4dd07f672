import Foundation
import Glibc
import XCTest

/// OCI hooks: when each kind runs, the state JSON it reads on stdin, in which namespaces it runs,
/// and what a failing or hanging hook does to the lifecycle.
final class HookTests: LifecycleTestCase {
    private static let hookEnv = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"]

    /// A hook that runs `script` in the host's /bin/sh.
    private func shellHook(_ script: String, timeout: Int? = nil) -> [String: Any] {
        var hook: [String: Any] = ["path": "/bin/sh", "args": ["sh", "-c", script], "env": Self.hookEnv]
        if let timeout { hook["timeout"] = timeout }
        return hook
    }

    private func setHooks(_ hooks: [String: [[String: Any]]]) {
        bundle.config { $0["hooks"] = hooks }
    }

    private func json(at path: String, file: StaticString = #filePath, line: UInt = #line) -> [String: Any]? {
        guard let data = FileManager.default.contents(atPath: path) else {
            XCTFail("no file \(path)", file: file, line: line)
            return nil
        }
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        XCTAssertNotNil(object, "\(path) holds JSON: \(String(decoding: data, as: UTF8.self))", file: file, line: line)
        return object
    }

    private func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }

    func testEveryHookKindRunsAtItsPointWithTheState() throws {
        let out = try makeScratchDirectory("hooks")
        // startContainer runs inside the container: it writes through a bind mount.
        bundle.addBindMount(source: out, destination: "/hooks")
        setHooks([
            "prestart": [shellHook("cat > \(out)/prestart.json")],
            "createRuntime": [shellHook("cat > \(out)/createRuntime.json")],
            "createContainer": [shellHook("cat > \(out)/createContainer.json")],
            "startContainer": [["path": "/bin/sh", "args": ["sh", "-c", "cat > /hooks/startContainer.json"]]],
            "poststart": [shellHook("cat > \(out)/poststart.json")],
            "poststop": [shellHook("cat > \(out)/poststop.json")],
        ])
        bundle.setArgs(["sleep", "30"])
        let id = makeID("hooks")
        let pid = try createContainer(id)
        for kind in ["prestart", "createRuntime", "createContainer"] {
            XCTAssertTrue(exists("\(out)/\(kind).json"), "\(kind) ran during create")
        }
        for kind in ["startContainer", "poststart", "poststop"] {
            XCTAssertFalse(exists("\(out)/\(kind).json"), "\(kind) did not run during create")
        }

        XCTAssertEqual(hull("start", id).status, 0)
        XCTAssertTrue(exists("\(out)/startContainer.json"), "startContainer ran before start returned")
        XCTAssertTrue(exists("\(out)/poststart.json"), "poststart ran before start returned")
        XCTAssertFalse(exists("\(out)/poststop.json"))

        XCTAssertEqual(hull("delete", "--force", id).status, 0)
        XCTAssertTrue(exists("\(out)/poststop.json"), "poststop ran in delete")

        let expectedStatus = ["prestart": "creating", "createRuntime": "creating", "createContainer": "creating",
                              "startContainer": "created", "poststart": "running", "poststop": "stopped"]
        for (kind, status) in expectedStatus {
            let state = try XCTUnwrap(json(at: "\(out)/\(kind).json"), kind)
            XCTAssertEqual(state["id"] as? String, id, kind)
            XCTAssertEqual(state["status"] as? String, status, kind)
            XCTAssertEqual(state["bundle"] as? String, bundle.path, kind)
            XCTAssertNotNil(state["ociVersion"] as? String, kind)
            if kind != "poststop" {
                XCTAssertEqual(state["pid"] as? Int, Int(pid), kind)
            }
        }
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testHooksOfOneKindRunInOrderWithArgsAndEnv() throws {
        let out = try makeScratchDirectory("order")
        setHooks(["createRuntime": [
            ["path": "/bin/sh", "args": ["sh", "-c", "echo \"first $1 $HOOKVAR\" >> \(out)/log", "sh", "arg1"],
             "env": Self.hookEnv + ["HOOKVAR=v1"]],
            shellHook("echo second >> \(out)/log"),
        ]])
        let result = runContainer(["true"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(ProcFS.read(out + "/log"), "first arg1 v1\nsecond\n")
    }

    func testFailingCreateRuntimeHookFailsCreateAndLeavesNothing() throws {
        setHooks(["createRuntime": [shellHook("exit 3")]])
        let id = makeID("hookfail")
        let result = hull("create", "--bundle", bundle.path, id)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("createRuntime"), result.stderr)
        XCTAssertTrue(result.stderr.contains("exit status 3"), result.stderr)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testFailingPrestartAndCreateContainerHooksFailCreate() {
        for kind in ["prestart", "createContainer"] {
            setHooks([kind: [shellHook("exit 4")]])
            let id = makeID("hookfail")
            let result = hull("create", "--bundle", bundle.path, id)
            XCTAssertEqual(result.status, 1, kind)
            XCTAssertTrue(result.stderr.contains(kind), "\(kind): \(result.stderr)")
            assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
        }
    }

    func testMissingHookBinaryFailsCreate() {
        setHooks(["createRuntime": [["path": "/nonexistent/hook", "args": ["hook"]]]])
        let id = makeID("hookmissing")
        let result = hull("create", "--bundle", bundle.path, id)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("/nonexistent/hook"), result.stderr)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testFailingPoststartHookIsOnlyAWarning() throws {
        let out = try makeScratchDirectory("poststart")
        setHooks(["poststart": [shellHook("exit 5"), shellHook("touch \(out)/second-ran")]])
        bundle.setArgs(["sleep", "30"])
        let id = makeID("poststartfail")
        _ = try createContainer(id)
        let start = hull("start", id)
        XCTAssertEqual(start.status, 0, "a poststart failure does not fail start: \(start.stderr)")
        XCTAssertTrue(start.stderr.contains("poststart"), "but it is reported: \(start.stderr)")
        XCTAssertEqual(status(id), "running")
        XCTAssertTrue(exists(out + "/second-ran"), "the next poststart hook still runs")
        XCTAssertEqual(hull("delete", "--force", id).status, 0)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testFailingPoststopHookIsOnlyAWarning() throws {
        setHooks(["poststop": [shellHook("exit 6")]])
        let id = makeID("poststopfail")
        _ = try createContainer(id)
        let delete = hull("delete", id)
        XCTAssertEqual(delete.status, 0, delete.stderr)
        XCTAssertTrue(delete.stderr.contains("poststop"), delete.stderr)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testHookTimeoutFailsCreateQuickly() {
        // A unique duration, so the leak check can look for this very sleep.
        setHooks(["createRuntime": [["path": "/bin/sleep", "args": ["sleep", "7.654"], "timeout": 1]]])
        let id = makeID("hooktimeout")
        let started = Date()
        let result = hull("create", "--bundle", bundle.path, id)
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("timed out"), result.stderr)
        XCTAssertGreaterThanOrEqual(elapsed, 0.9)
        XCTAssertLessThan(elapsed, 4, "the hook is killed at its timeout")
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
        assertNoProcess(withArgsContaining: "sleep 7.654")
    }

    func testCreateContainerHookRunsInTheContainersNamespaces() throws {
        let out = try makeScratchDirectory("ccns")
        setHooks(["createContainer": [shellHook(
            "for n in uts ipc net mnt; do readlink /proc/self/ns/$n; done > \(out)/ns; hostname > \(out)/hostname")]])
        bundle.setHostname("hooked")
        bundle.setArgs(["sleep", "30"])
        let id = makeID("ccns")
        let pid = try createContainer(id)
        let seen = (ProcFS.read(out + "/ns") ?? "").split(separator: "\n").map(String.init)
        let container = ["uts", "ipc", "net", "mnt"].map { ProcFS.namespace($0, of: String(pid)) ?? "?" }
        XCTAssertEqual(seen, container)
        XCTAssertNotEqual(seen.first, ProcFS.namespace("uts", of: "self"))
        XCTAssertEqual(ProcFS.read(out + "/hostname"), "hooked\n", "the hostname is set before createContainer")
        XCTAssertEqual(hull("delete", id).status, 0)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testCreateRuntimeHookRunsInTheRuntimesNamespaces() throws {
        let out = try makeScratchDirectory("crns")
        setHooks(["createRuntime": [shellHook("for n in uts mnt net; do readlink /proc/self/ns/$n; done > \(out)/ns")]])
        bundle.setArgs(["sleep", "30"])
        let id = makeID("crns")
        _ = try createContainer(id)
        let seen = (ProcFS.read(out + "/ns") ?? "").split(separator: "\n").map(String.init)
        XCTAssertEqual(seen, ["uts", "mnt", "net"].map { ProcFS.namespace($0, of: "self") ?? "?" })
        XCTAssertEqual(hull("delete", id).status, 0)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testStartContainerHookRunsInsideTheContainer() throws {
        bundle.setHostname("inside")
        bundle.config { config in
            config["hooks"] = ["startContainer": [["path": "/bin/sh", "args": ["sh", "-c", "echo hook $(hostname) $(ls / | wc -l)"]]]]
        }
        bundle.setArgs(["sh", "-c", "echo main"])
        let id = makeID("startcontainer")
        let result = hull("run", "--bundle", bundle.path, id)
        XCTAssertEqual(result.status, 0, result.stderr)
        // The rootfs has 8 entries; the host's / has others.
        XCTAssertEqual(result.stdout, "hook inside 8\nmain\n", "the hook ran in the container, before the process")
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testFailingStartContainerHookStopsTheProcess() throws {
        let out = try makeScratchDirectory("scfail")
        bundle.addBindMount(source: out, destination: "/out")
        bundle.config { config in
            config["hooks"] = ["startContainer": [["path": "/bin/sh", "args": ["sh", "-c", "exit 9"]]]]
        }
        bundle.setArgs(["touch", "/out/process-ran"])
        let id = makeID("scfail")
        let result = hull("run", "--bundle", bundle.path, id)
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("startContainer"), result.stderr)
        XCTAssertFalse(exists(out + "/process-ran"), "the container's process never ran")
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }
}
