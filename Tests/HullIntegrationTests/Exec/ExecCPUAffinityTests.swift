import Foundation
import XCTest

/// process.execCPUAffinity of `hull exec --process`: the exec'd process runs on `final`.
final class ExecCPUAffinityTests: LifecycleTestCase {
    func testFinalAffinityIsTheExecdProcesss() throws {
        bundle.setArgs(["sleep", "100"])
        let id = makeID("affinity")
        XCTAssertEqual(hull("run", "-d", "--bundle", bundle.path, id).status, 0)
        let cpus = ProcessInfo.processInfo.activeProcessorCount
        let last = cpus - 1
        let process: [String: Any] = [
            "args": ["sh", "-c", "grep Cpus_allowed_list /proc/self/status"], "cwd": "/",
            "user": ["uid": 0, "gid": 0], "env": ["PATH=/bin"],
            "execCPUAffinity": ["initial": "0", "final": "\(last)"],
        ]
        let file = try makeScratchDirectory("affinity") + "/process.json"
        try JSONSerialization.data(withJSONObject: process).write(to: URL(fileURLWithPath: file))
        let result = hull("exec", "--process", file, id)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "Cpus_allowed_list:\t\(last)")
    }

    func testAnUnknownCPUIsAOneLineError() throws {
        bundle.setArgs(["sleep", "100"])
        let id = makeID("affinity-bad")
        XCTAssertEqual(hull("run", "-d", "--bundle", bundle.path, id).status, 0)
        let process: [String: Any] = [
            "args": ["true"], "cwd": "/", "user": ["uid": 0, "gid": 0],
            "execCPUAffinity": ["final": "4000"],
        ]
        let file = try makeScratchDirectory("affinity") + "/process.json"
        try JSONSerialization.data(withJSONObject: process).write(to: URL(fileURLWithPath: file))
        let result = hull("exec", "--process", file, id)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.hasPrefix("process.execCPUAffinity.final: set CPU affinity 4000: "), result.stderr)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
    }
}
