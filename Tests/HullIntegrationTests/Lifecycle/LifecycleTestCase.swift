import Foundation
import Glibc
import XCTest

/// The base of the lifecycle tests: each test gets its own state root and busybox bundle, makes
/// unique container IDs through `makeID`, and calls hull through `hull(...)` with that root.
///
///     let id = makeID("exit")
///     bundle.setArgs(["sh", "-c", "exit 7"])
///     XCTAssertEqual(hull("run", "--bundle", bundle.path, id).status, 7)
///     assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
///
/// Whatever a failing test leaves running is removed in `tearDown` (`delete --force` of every ID
/// it made), so one failure never spills into the next test.
class LifecycleTestCase: XCTestCase {
    let runner = HullRunner()
    private(set) var root: TempRoot!
    private(set) var bundle: BusyboxBundle!
    private var madeIDs: [String] = []
    private var scratchDirectories: [String] = []

    override func setUpWithError() throws {
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: runner.binary), "build hull first: \(runner.binary)")
        root = try TempRoot()
        bundle = try BusyboxBundle()
    }

    override func tearDown() {
        for id in madeIDs {
            _ = ChildProcess.run(runner.binary, ["--root", root.path, "delete", "--force", id])
        }
        bundle?.remove()
        root?.remove()
        scratchDirectories.forEach(TempDirectory.remove)
        super.tearDown()
    }

    /// A container ID no other test (or earlier run) uses: `hullt-<tag>-<pid>-<random>`.
    func makeID(_ tag: String) -> String {
        let id = "hullt-\(tag)-\(getpid())-\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
        madeIDs.append(id)
        return id
    }

    /// A fresh temporary directory removed after the test.
    func makeScratchDirectory(_ tag: String) throws -> String {
        let path = try TempDirectory.make(prefix: "hull-\(tag)-")
        scratchDirectories.append(path)
        return path
    }

    /// `hull --root <root> ARGS`, to completion (see `ChildProcess` for why not `HullRunner`).
    @discardableResult
    func hull(_ args: String...) -> (status: Int32, stdout: String, stderr: String) {
        hull(args)
    }

    /// `hull --root <root> ARGS` for argument lists built at run time.
    @discardableResult
    func hull(_ args: [String]) -> (status: Int32, stdout: String, stderr: String) {
        ChildProcess.run(runner.binary, ["--root", root.path] + args)
    }

    /// Starts `hull --root <root> ARGS` without waiting; its output (and that of a container
    /// that inherits it) goes to files.
    func hullInBackground(_ args: [String]) throws -> ChildProcess {
        try ChildProcess(runner.binary, ["--root", root.path] + args)
    }

    /// `hull run` of the bundle with `args`, then the leak check for that container.
    @discardableResult
    func runContainer(
        _ args: [String], flags: [String] = [], file: StaticString = #filePath, line: UInt = #line
    ) -> (status: Int32, stdout: String, stderr: String) {
        bundle.setArgs(args)
        let id = makeID("run")
        let result = hull(["run", "--bundle", bundle.path] + flags + [id])
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path, file: file, line: line)
        return result
    }

    /// `hull create` of the bundle as it is, failing the test unless it succeeds. Returns the
    /// init's pid from `--pid-file`.
    func createContainer(
        _ id: String, flags: [String] = [], file: StaticString = #filePath, line: UInt = #line
    ) throws -> Int32 {
        let pidFile = try makeScratchDirectory("pid") + "/pid"
        let result = hull(["create", "--bundle", bundle.path, "--pid-file", pidFile] + flags + [id])
        XCTAssertEqual(result.status, 0, "create \(id): \(result.stderr)", file: file, line: line)
        let text = try String(contentsOfFile: pidFile, encoding: .utf8)
        return try XCTUnwrap(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)),
                             "pid file holds \(text)", file: file, line: line)
    }

    /// `hull state ID`, decoded; nil when hull fails.
    func state(_ id: String) -> [String: Any]? {
        let result = hull("state", id)
        guard result.status == 0 else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any]
    }

    /// The `status` field of `hull state ID`.
    func status(_ id: String) -> String? {
        state(id)?["status"] as? String
    }

    /// Polls `condition` every 10 ms until it holds or `timeout` passes; fails the test then.
    @discardableResult
    func waitFor(
        _ what: String, timeout: TimeInterval = 5, file: StaticString = #filePath, line: UInt = #line,
        _ condition: () -> Bool
    ) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            if Date() > deadline {
                XCTFail("timed out after \(timeout) s waiting for \(what)", file: file, line: line)
                return false
            }
            usleep(10_000)
        }
        return true
    }

    /// Waits until `pid` has a handler for every signal in `signals` (the container's shell has
    /// run its `trap`s), so that a signal sent next is not lost.
    func waitForHandlers(pid: Int32, signals: [Int32], file: StaticString = #filePath, line: UInt = #line) {
        let wanted = signals.reduce(UInt64(0)) { $0 | (UInt64(1) << UInt64($1 - 1)) }
        waitFor("pid \(pid) to trap signals \(signals)", file: file, line: line) {
            guard let caught = ProcFS.statusField(pid: pid, "SigCgt"), let mask = UInt64(caught, radix: 16) else {
                return false
            }
            return mask & wanted == wanted
        }
    }
}

/// Reading other processes' /proc entries from outside.
enum ProcFS {
    /// Whether `pid` exists and is not a zombie.
    static func isAlive(_ pid: Int32) -> Bool {
        guard let state = statusField(pid: pid, "State") else { return false }
        return !state.hasPrefix("Z") && !state.hasPrefix("X")
    }

    /// The command line of `pid`, split at its NULs.
    static func commandLine(_ pid: Int32) -> [String] {
        guard let raw = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return [] }
        return raw.split(separator: 0, omittingEmptySubsequences: false).dropLast()
            .map { String(decoding: $0, as: UTF8.self) }
    }

    /// The value of a `Name:\tvalue` line of /proc/PID/status, trimmed.
    static func statusField(pid: Int32, _ name: String) -> String? {
        guard let text = read("/proc/\(pid)/status") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            return line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    /// The namespace `pid` ("self" for the test process) is in: "net:[4026531840]".
    static func namespace(_ kind: String, of pid: String) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/ns/\(kind)")
    }

    /// A whole file, or nil.
    static func read(_ path: String) -> String? {
        try? String(contentsOfFile: path, encoding: .utf8)
    }
}
