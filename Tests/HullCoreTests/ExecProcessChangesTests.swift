import XCTest
@testable import HullCore

/// `hull exec`'s flags applied to the container's process, as runc's getProcess does.
final class ExecProcessChangesTests: XCTestCase {
    private func base() -> HullCore.Process {
        var process = HullCore.Process(terminal: true, consoleSize: Box(height: 10, width: 20),
                              user: User(uid: 5, gid: 6, additionalGids: [7]), args: ["sleep", "100"],
                              env: ["PATH=/bin", "TERM=xterm"], cwd: "/")
        process.capabilities = LinuxCapabilities(bounding: ["CAP_KILL"], effective: ["CAP_KILL"],
                                                 inheritable: nil, permitted: ["CAP_KILL"], ambient: nil)
        return process
    }

    func testArgsReplaceAndTerminalIsOffUnlessAsked() {
        let process = ExecProcessChanges(args: ["id"]).applied(to: base())
        XCTAssertEqual(process.args, ["id"])
        XCTAssertEqual(process.terminal, false)
        XCTAssertNil(process.consoleSize)
        XCTAssertEqual(process.user.uid, 5)
        XCTAssertEqual(process.env, ["PATH=/bin", "TERM=xterm"])
    }

    func testEnvReplacesInPlaceAndAppends() {
        var changes = ExecProcessChanges(args: ["env"])
        changes.env = ["TERM=dumb", "FOO=bar", "FOO=baz"]
        XCTAssertEqual(changes.applied(to: base()).env, ["PATH=/bin", "TERM=dumb", "FOO=baz"])
    }

    func testCapNeverReachesTheInheritableSet() {
        var changes = ExecProcessChanges(args: ["id"])
        changes.capabilities = ["CAP_SYS_ADMIN"]
        let caps = changes.applied(to: base()).capabilities
        XCTAssertEqual(caps?.bounding, ["CAP_KILL", "CAP_SYS_ADMIN"])
        XCTAssertEqual(caps?.effective, ["CAP_KILL", "CAP_SYS_ADMIN"])
        XCTAssertEqual(caps?.permitted, ["CAP_KILL", "CAP_SYS_ADMIN"])
        XCTAssertNil(caps?.inheritable)
        XCTAssertNil(caps?.ambient, "ambient only when config.json has inheritable capabilities")
    }

    func testUserAndGroups() throws {
        var changes = ExecProcessChanges(args: ["id"])
        try changes.setUser("1000:1001")
        changes.additionalGids = [8]
        let user = changes.applied(to: base()).user
        XCTAssertEqual([user.uid, user.gid], [1000, 1001])
        XCTAssertEqual(user.additionalGids, [7, 8])

        var uidOnly = ExecProcessChanges(args: ["id"])
        try uidOnly.setUser("42")
        XCTAssertEqual(uidOnly.applied(to: base()).user.gid, 6)
    }

    func testUserMustBeNumbers() {
        for text in ["root", "1000:", ":5", "1:2:3", "-1"] {
            var changes = ExecProcessChanges(args: ["id"])
            XCTAssertThrowsError(try changes.setUser(text), text) { error in
                XCTAssertEqual((error as? HullError)?.message, "--user: expected UID[:GID] as numbers, got \"\(text)\"")
            }
        }
    }

    func testExecIntoEachStatus() {
        XCTAssertNoThrow(try Lifecycle.checkExecutable(.running, id: "c", ignorePaused: false))
        XCTAssertNoThrow(try Lifecycle.checkExecutable(.created, id: "c", ignorePaused: false))
        XCTAssertNoThrow(try Lifecycle.checkExecutable(.paused, id: "c", ignorePaused: true))
        XCTAssertThrowsError(try Lifecycle.checkExecutable(.paused, id: "c", ignorePaused: false)) { error in
            XCTAssertEqual((error as? HullError)?.message,
                           "cannot exec in a paused container (use --ignore-paused to override): c")
        }
        XCTAssertThrowsError(try Lifecycle.checkExecutable(.stopped, id: "c", ignorePaused: true)) { error in
            XCTAssertEqual((error as? HullError)?.message, "cannot exec in a stopped container: c")
        }
    }
}
