import Foundation
import Glibc
import XCTest

/// Lifecycle tests that look into the container's cgroup: its directories come from
/// `cgroupPaths` in ROOT/ID/state.json, so the tests follow hull's own placement rules on a
/// v1, hybrid or pure v2 host.
class CgroupTestCase: LifecycleTestCase {
    /// hierarchy key ("memory", "" for cgroup v2) -> the container's cgroup directory.
    func cgroupPaths(_ id: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String: String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: root.stateDir(of: id) + "/state.json"))
        let record = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any], file: file, line: line)
        return try XCTUnwrap(record["cgroupPaths"] as? [String: String], file: file, line: line)
    }

    /// Whether this host is pure cgroup v2.
    var isUnifiedHost: Bool {
        !FileManager.default.fileExists(atPath: "/sys/fs/cgroup/memory")
            && FileManager.default.fileExists(atPath: "/sys/fs/cgroup/cgroup.controllers")
    }

    /// The trimmed content of `name` in the directory of `controller` ("" = the v2 directory).
    func cgroupFile(_ id: String, _ controller: String, _ name: String,
                    file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let paths = try cgroupPaths(id, file: file, line: line)
        let dir = isUnifiedHost || controller.isEmpty ? paths[""] : paths.first { $0.key.split(separator: ",").contains(Substring(controller)) }?.value
        let directory = try XCTUnwrap(dir, "no \(controller) hierarchy", file: file, line: line)
        return try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// "MAJOR:MINOR" of a block device of this host (for throttle rules, which need one).
    func someBlockDevice(file: StaticString = #filePath, line: UInt = #line) throws -> (major: Int, minor: Int) {
        let names = try FileManager.default.contentsOfDirectory(atPath: "/sys/block").sorted()
        let text = try XCTUnwrap(names.lazy.compactMap { try? String(contentsOfFile: "/sys/block/\($0)/dev", encoding: .utf8) }.first,
                                 "no block device", file: file, line: line)
        let numbers = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ":").compactMap { Int($0) }
        return (numbers[0], numbers[1])
    }

    /// `create` + `start` of the bundle with `args`; returns the init's pid.
    func startContainer(_ id: String, _ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Int32 {
        bundle.setArgs(args)
        let pid = try createContainer(id, file: file, line: line)
        let start = hull("start", id)
        XCTAssertEqual(start.status, 0, start.stderr, file: file, line: line)
        return pid
    }

    /// `delete --force`, then the leak check.
    func deleteAndCheck(_ id: String, file: StaticString = #filePath, line: UInt = #line) {
        let delete = hull("delete", "--force", id)
        XCTAssertEqual(delete.status, 0, delete.stderr, file: file, line: line)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path, file: file, line: line)
    }
}
