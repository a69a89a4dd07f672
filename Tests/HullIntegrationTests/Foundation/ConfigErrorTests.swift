import Foundation
import XCTest

/// Every class of config.json error of the foundation issue, through the real binary: the exact
/// one-line message naming the field, exit status 1, and no state directory left behind.
final class ConfigErrorTests: LifecycleTestCase {
    private func assertCreateFails(
        _ edit: (BusyboxBundle) -> Void, with message: String, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let scratch = try BusyboxBundle()
        defer { scratch.remove() }
        edit(scratch)
        let id = makeID("cfg")
        let result = hull("create", "--bundle", scratch.path, id)
        XCTAssertEqual(result.status, 1, result.stderr, file: file, line: line)
        XCTAssertEqual(result.stderr, message + "\n", file: file, line: line)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.stateDir(of: id)), "no state directory", file: file, line: line)
        assertNoLeaks(root: root.path, id: id, bundle: scratch.path, file: file, line: line)
    }

    private func editProcess(_ bundle: BusyboxBundle, _ body: @escaping (inout [String: Any]) -> Void) {
        bundle.config { config in
            var process = config["process"] as? [String: Any] ?? [:]
            body(&process)
            config["process"] = process
        }
    }

    func testMalformedJSON() throws {
        try assertCreateFails({ $0.writeRawConfig("{\"ociVersion\": \"1.0.0\",\n \"process\": {") },
                              with: "config.json: invalid JSON: unexpected end of input in an object at line 2, column 14")
    }

    func testWrongType() throws {
        try assertCreateFails({ b in self.editProcess(b) { $0["user"] = ["uid": "zero", "gid": 0] } },
                              with: "config.json: process.user.uid: expected an integer")
        try assertCreateFails({ b in b.setResource("memory", ["limit": "lots"]) },
                              with: "config.json: linux.resources.memory.limit: expected an integer")
    }

    func testMissingRequiredField() throws {
        try assertCreateFails({ b in self.editProcess(b) { $0["cwd"] = nil } },
                              with: "config.json: process.cwd: required field missing")
    }

    func testUnsupportedOCIVersion() throws {
        try assertCreateFails({ b in b.config { $0["ociVersion"] = "2.0.0" } },
                              with: "config.json: ociVersion: unsupported version \"2.0.0\" (hull supports 1.x)")
    }

    func testRelativePathWhereAbsoluteIsRequired() throws {
        try assertCreateFails({ b in b.config { c in
            var mounts = c["mounts"] as? [[String: Any]] ?? []
            mounts[0]["destination"] = "proc"
            c["mounts"] = mounts
        } }, with: "config.json: mounts[0].destination: must be an absolute path, got \"proc\"")
    }

    func testUnknownNamespaceType() throws {
        try assertCreateFails({ b in b.editLinux { $0["namespaces"] = [["type": "pid"], ["type": "bogus"]] } },
                              with: "config.json: linux.namespaces[1].type: unknown namespace type \"bogus\"")
    }

    func testDuplicateNamespace() throws {
        try assertCreateFails({ b in b.editLinux { $0["namespaces"] = [["type": "pid"], ["type": "mount"], ["type": "pid"]] } },
                              with: "config.json: linux.namespaces[2].type: duplicate namespace type \"pid\"")
    }

    func testBadContainerIDs() {
        let cases = [
            ("a/b", "invalid container ID \"a/b\": only [a-zA-Z0-9_+.-] are allowed"),
            ("..", "invalid container ID \"..\": must not be \".\" or \"..\""),
            (String(repeating: "x", count: 1025), "invalid container ID (1025 bytes): at most 1024 bytes are allowed"),
        ]
        for (id, message) in cases {
            let result = hull("create", "--bundle", bundle.path, id)
            XCTAssertEqual(result.status, 1, result.stderr)
            XCTAssertEqual(result.stderr, message + "\n")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root.path), [], "nothing made in the root")
    }
}
