import Foundation
import Glibc
import XCTest

/// Helpers of the exec and terminal tests: a running container to exec into, and exec itself.
extension LifecycleTestCase {
    /// `create` + `start` of the bundle running `args` (default `sleep 1000`); waits until the
    /// init runs them and returns its host pid. Delete it with `deleteAndCheckLeaks`.
    @discardableResult
    func startRunningContainer(
        _ id: String, _ args: [String] = ["sleep", "1000"], file: StaticString = #filePath, line: UInt = #line
    ) throws -> Int32 {
        bundle.setArgs(args)
        let pid = try createContainer(id, file: file, line: line)
        let start = hull("start", id)
        XCTAssertEqual(start.status, 0, "start \(id): \(start.stderr)", file: file, line: line)
        waitFor("the init to run \(args)", file: file, line: line) { ProcFS.commandLine(pid) == args }
        return pid
    }

    /// `hull exec FLAGS ID COMMAND...` to completion.
    @discardableResult
    func exec(
        _ id: String, _ command: [String], flags: [String] = []
    ) -> (status: Int32, stdout: String, stderr: String) {
        hull(["exec"] + flags + [id] + command)
    }

    /// `hull exec FLAGS ID COMMAND...` run from `/bin/sh -c "SETUP; exec hull ..."`, so that the
    /// shell can open extra descriptors first (`exec 3<FILE`).
    func execFromShell(
        setup: String, _ id: String, _ command: [String], flags: [String] = []
    ) -> (status: Int32, stdout: String, stderr: String) {
        ChildProcess.run("/bin/sh", ["-c", setup + "; exec \"$0\" \"$@\"", runner.binary, "--root", root.path, "exec"]
                         + flags + [id] + command)
    }

    /// `exec --detach --pid-file` of `command`; returns the host pid of the exec'd process once
    /// it runs `command`.
    func execDetached(
        _ id: String, _ command: [String], flags: [String] = [], file: StaticString = #filePath, line: UInt = #line
    ) throws -> Int32 {
        let pidFile = try makeScratchDirectory("execpid") + "/pid"
        let result = exec(id, command, flags: ["--detach", "--pid-file", pidFile] + flags)
        XCTAssertEqual(result.status, 0, "exec --detach: \(result.stderr)", file: file, line: line)
        let text = try String(contentsOfFile: pidFile, encoding: .utf8)
        let pid = try XCTUnwrap(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)),
                                "exec pid file holds \(text.debugDescription)", file: file, line: line)
        waitFor("the exec'd process to run \(command)", file: file, line: line) { ProcFS.commandLine(pid) == command }
        return pid
    }

    /// `delete --force`, then every leak check for the container.
    func deleteAndCheckLeaks(_ id: String, file: StaticString = #filePath, line: UInt = #line) {
        let delete = hull("delete", "--force", id)
        XCTAssertEqual(delete.status, 0, "delete \(id): \(delete.stderr)", file: file, line: line)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path, file: file, line: line)
    }

    /// Fails unless `result` is a failure with a one-line message that contains one of `anyOf`
    /// (case-insensitive; any message when empty).
    func assertOneLineFailure(
        _ result: (status: Int32, stdout: String, stderr: String), mentioning anyOf: [String] = [],
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertNotEqual(result.status, 0, "expected a failure", file: file, line: line)
        let lines = result.stderr.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        XCTAssertEqual(lines.count, 1, "one line of error: \(result.stderr.debugDescription)", file: file, line: line)
        if !anyOf.isEmpty {
            let text = result.stderr.lowercased()
            XCTAssertTrue(anyOf.contains { text.contains($0.lowercased()) },
                          "the error names one of \(anyOf): \(result.stderr)", file: file, line: line)
        }
    }

    /// The `Name:` lines of a /proc/PID/status text, trimmed: ["CapEff": "00000000a80425fb", ...].
    func statusFields(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return fields
    }

    /// The non-empty lines of `text`, carriage returns dropped (pty output has "\r\n").
    func outputLines(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\r", with: "").split(separator: "\n").map(String.init)
    }
}
