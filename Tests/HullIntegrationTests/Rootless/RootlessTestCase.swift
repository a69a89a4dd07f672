import Foundation
import Glibc
import XCTest

/// Tests that run hull as an unprivileged user: a throw-away user made for the test class
/// (`useradd`, removed again in the class's tearDown), its own copy of hull in a directory it can
/// reach, `XDG_RUNTIME_DIR` in a directory it owns, and the bundle owned by it, as a user's own
/// bundle would be.
///
///     let result = asUser("run", "--bundle", bundle.path, id)
///
/// The state root is then `XDG_RUNTIME_DIR/hull` (`stateRoot`), which is where hull must put it.
class RootlessTestCase: LifecycleTestCase {
    /// The test user: its name, uid and gid (equal to the uid: useradd's user group).
    static let userName = "hullrl\(getpid() % 1_000_000)"
    nonisolated(unsafe) private(set) static var uid: UInt32 = 0
    nonisolated(unsafe) private(set) static var gid: UInt32 = 0

    var uid: UInt32 { Self.uid }
    var gid: UInt32 { Self.gid }

    private(set) var runtimeDir = ""
    private(set) var userHull = ""
    /// Where hull keeps state for the user: `XDG_RUNTIME_DIR/hull`.
    var stateRoot: String { runtimeDir + "/hull" }

    override class func setUp() {
        super.setUp()
        _ = ChildProcess.run("/usr/sbin/userdel", [userName])
        let made = ChildProcess.run("/usr/sbin/useradd", ["--no-create-home", "--home-dir", "/nonexistent",
                                                          "--shell", "/bin/sh", "--user-group", userName])
        XCTAssertEqual(made.status, 0, "useradd \(userName): \(made.stderr)")
        if let entry = getpwnam(userName) {
            uid = entry.pointee.pw_uid
            gid = entry.pointee.pw_gid
        }
    }

    override class func tearDown() {
        _ = ChildProcess.run("/usr/sbin/userdel", [userName])
        super.tearDown()
    }

    override func setUpWithError() throws {
        try super.setUpWithError()
        XCTAssertNotEqual(uid, 0, "the test user exists")
        runtimeDir = try makeScratchDirectory("xdg")
        try chown(runtimeDir, mode: 0o700)
        let binDir = try makeScratchDirectory("userhull")
        userHull = binDir + "/hull"
        try FileManager.default.copyItem(atPath: runner.binary, toPath: userHull)
        XCTAssertEqual(Glibc.chmod(userHull, 0o755), 0)
        try useRootlessSpec()
    }

    override func tearDown() {
        // Whatever a failed test left running: the user's own delete, then root's kill.
        for id in (try? FileManager.default.contentsOfDirectory(atPath: stateRoot)) ?? [] where !id.contains("~") {
            _ = asUser(["delete", "--force", id])
        }
        super.tearDown()
    }

    /// `hull ARGS` as the test user, with XDG_RUNTIME_DIR set (and no --root).
    @discardableResult
    func asUser(_ args: String...) -> (status: Int32, stdout: String, stderr: String) {
        asUser(args)
    }

    @discardableResult
    func asUser(_ args: [String], wrappedIn prefix: [String] = []) -> (status: Int32, stdout: String, stderr: String) {
        let command = ["/usr/bin/setpriv", "--reuid=\(uid)", "--regid=\(gid)", "--clear-groups",
                       "/usr/bin/env", "XDG_RUNTIME_DIR=\(runtimeDir)", userHull] + args
        guard let first = prefix.first else { return ChildProcess.run(command[0], Array(command.dropFirst())) }
        return ChildProcess.run(first, Array(prefix.dropFirst()) + command)
    }

    /// Replaces the bundle's config.json by `hull spec --rootless`, written by the user, with
    /// `terminal` off and a writable root, and hands the bundle to the user.
    func useRootlessSpec() throws {
        try FileManager.default.removeItem(atPath: bundle.configPath)
        try chownTree(bundle.path)
        let spec = asUser("spec", "--rootless", "--bundle", bundle.path)
        XCTAssertEqual(spec.status, 0, "spec --rootless: \(spec.stderr)")
        bundle.setTerminal(false)
        bundle.setReadonlyRoot(false)
        try chownTree(bundle.path)
    }

    /// The one line of error in `stderr` besides hull's warning that the container gets no
    /// cgroup (which an unprivileged caller gets on a host that delegates none).
    func errorLine(_ result: (status: Int32, stdout: String, stderr: String),
                   file: StaticString = #filePath, line: UInt = #line) -> String {
        XCTAssertNotEqual(result.status, 0, "expected a failure", file: file, line: line)
        let lines = result.stderr.split(separator: "\n").map(String.init)
            .filter { !$0.contains("level=warning msg=\"rootless container without a cgroup") }
        XCTAssertEqual(lines.count, 1, "one line of error: \(result.stderr.debugDescription)", file: file, line: line)
        return lines.first ?? ""
    }

    /// chown -R to the test user (the bundle is the user's own).
    func chownTree(_ path: String) throws {
        let result = ChildProcess.run("/bin/chown", ["-R", "\(uid):\(gid)", path])
        guard result.status == 0 else { throw HarnessError("chown -R \(path): \(result.stderr)") }
    }

    private func chown(_ path: String, mode: mode_t) throws {
        guard Glibc.chown(path, uid, gid) == 0, Glibc.chmod(path, mode) == 0 else {
            throw HarnessError("chown \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Grants the user `count` subordinate uids and gids from `start` (/etc/subuid, /etc/subgid)
    /// until the end of the test.
    func grantSubordinateIDs(start: UInt32, count: UInt32) {
        let range = "\(start)-\(start + count - 1)"
        let granted = ChildProcess.run("/usr/sbin/usermod", ["--add-subuids", range, "--add-subgids", range, Self.userName])
        XCTAssertEqual(granted.status, 0, "usermod: \(granted.stderr)")
        addTeardownBlock {
            _ = ChildProcess.run("/usr/sbin/usermod", ["--del-subuids", range, "--del-subgids", range, Self.userName])
        }
    }

    /// The uid_map or gid_map text with its columns single-spaced.
    static func normalizedMap(_ text: String) -> [String] {
        text.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
    }
}
