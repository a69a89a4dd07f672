import Foundation
import XCTest

/// `hull spec` through the real binary: runc's default, accepted by runc itself and by hull.
final class SpecCommandTests: LifecycleTestCase {
    func testSpecWritesAConfigThatRuncAndHullRun() throws {
        let dir = try makeScratchDirectory("spec")
        XCTAssertEqual(hull("spec", "--bundle", dir).status, 0)
        let written = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/config.json"))) as? [String: Any]
        let process = written?["process"] as? [String: Any]
        XCTAssertEqual(process?["terminal"] as? Bool, true)
        XCTAssertEqual(process?["args"] as? [String], ["sh"])

        // The same file, made runnable (no terminal, a command that prints), in a busybox bundle.
        var config = try XCTUnwrap(written)
        var runnable = try XCTUnwrap(process)
        runnable["terminal"] = false
        runnable["args"] = ["echo", "spec-ok"]
        config["process"] = runnable
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: bundle.configPath))

        let runcRoot = try makeScratchDirectory("runc-root")
        let runc = try HostCommand.run("/usr/sbin/runc", ["--root", runcRoot, "run", "--bundle", bundle.path, makeID("runc")])
        XCTAssertEqual(runc.status, 0, runc.stderr)
        XCTAssertEqual(runc.stdout, "spec-ok\n")

        let result = runContainer(["echo", "spec-ok"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "spec-ok\n")
    }

    func testSpecRefusesToOverwrite() throws {
        let dir = try makeScratchDirectory("spec2")
        XCTAssertEqual(hull("spec", "-b", dir).status, 0)
        let again = hull("spec", "-b", dir)
        XCTAssertEqual(again.status, 1)
        XCTAssertEqual(again.stderr, "spec: \(dir)/config.json already exists\n")
    }

    func testFeaturesListsWhatHullImplements() throws {
        let result = hull("features")
        XCTAssertEqual(result.status, 0, result.stderr)
        let features = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(features?["ociVersionMax"] as? String, "1.3.0")
        XCTAssertEqual((features?["hooks"] as? [String])?.count, 6)
        let linux = features?["linux"] as? [String: Any]
        XCTAssertEqual(Set(linux?["namespaces"] as? [String] ?? []),
                       ["cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts"])
    }
}
