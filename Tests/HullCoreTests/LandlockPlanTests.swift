import XCTest
@testable import HullCore

/// process.landlock fitted to a kernel's Landlock ABI, and its validation.
final class LandlockPlanTests: XCTestCase {
    private let landlock = Landlock(
        ruleset: LandlockRuleset(handledAccessFS: ["read_file", "truncate", "ioctl_dev"], handledAccessNetwork: ["bind_tcp"]),
        rules: LandlockRules(pathBeneath: [LandlockPathBeneath(allowedAccess: ["read_file", "ioctl_dev"], paths: ["/a", "/b"])],
                             netPort: [LandlockNetPort(allowedAccess: ["bind_tcp"], ports: [80])]))

    func testEveryRightOnAKernelThatHasThem() throws {
        let plan = try LandlockPlan(landlock, kernelABI: 7)
        XCTAssertEqual(plan.handledFS, 1 << 2 | 1 << 14 | 1 << 15)
        XCTAssertEqual(plan.handledNetwork, 1 << 0)
        XCTAssertEqual(plan.paths, [.init(path: "/a", allowed: 1 << 2 | 1 << 15), .init(path: "/b", allowed: 1 << 2 | 1 << 15)])
        XCTAssertEqual(plan.ports, [.init(port: 80, allowed: 1)])
    }

    func testBestEffortDropsWhatAnOlderABILacks() throws {
        let plan = try LandlockPlan(landlock, kernelABI: 3)
        XCTAssertEqual(plan.handledFS, 1 << 2 | 1 << 14, "ioctl_dev needs ABI 5")
        XCTAssertEqual(plan.handledNetwork, 0, "network rules need ABI 4")
        XCTAssertEqual(plan.paths.map(\.allowed), [1 << 2, 1 << 2])
        XCTAssertEqual(plan.ports.map(\.allowed), [0])
    }

    func testStrictModeNamesTheMissingRight() {
        var strict = landlock
        strict.disableBestEffort = true
        XCTAssertThrowsError(try LandlockPlan(strict, kernelABI: 3)) { error in
            XCTAssertEqual((error as? HullError)?.message,
                           "process.landlock.ruleset.handledAccessFS[2]: \"ioctl_dev\" needs Landlock ABI 5, this kernel has 3 (and disableBestEffort is set)")
        }
        XCTAssertThrowsError(try LandlockPlan(strict, kernelABI: 0)) { error in
            XCTAssertEqual((error as? HullError)?.message, "process.landlock: this kernel has no Landlock (and disableBestEffort is set)")
        }
        XCTAssertEqual(try LandlockPlan(landlock, kernelABI: 0), LandlockPlan(), "best effort: no Landlock at all")
    }

    func testValidationNamesTheField() {
        let cases: [(Landlock, String)] = [
            (Landlock(ruleset: LandlockRuleset(handledAccessFS: ["read"])),
             "config.json: process.landlock.ruleset.handledAccessFS[0]: unknown file-system access right \"read\""),
            (Landlock(ruleset: LandlockRuleset(handledAccessNetwork: ["bind_udp"])),
             "config.json: process.landlock.ruleset.handledAccessNetwork[0]: unknown network access right \"bind_udp\""),
            (Landlock(ruleset: LandlockRuleset(handledAccessFS: ["read_file"]),
                      rules: LandlockRules(pathBeneath: [LandlockPathBeneath(allowedAccess: ["read_file"], paths: ["tmp"])])),
             "config.json: process.landlock.rules.pathBeneath[0].paths[0]: must be an absolute path, got \"tmp\""),
            (Landlock(ruleset: LandlockRuleset(handledAccessNetwork: ["bind_tcp"]),
                      rules: LandlockRules(netPort: [LandlockNetPort(allowedAccess: ["bind_tcp"], ports: [70000])])),
             "config.json: process.landlock.rules.netPort[0].ports[0]: must be a TCP port (0 to 65535), got 70000"),
            (Landlock(rules: LandlockRules(netPort: [LandlockNetPort(allowedAccess: ["connect_tcp"], ports: [1])])),
             "config.json: process.landlock.rules.netPort[0].allowedAccess[0]: \"connect_tcp\" is not in process.landlock.ruleset.handledAccessNetwork"),
        ]
        for (landlock, message) in cases {
            XCTAssertThrowsError(try landlock.validate(), message) { error in
                XCTAssertEqual((error as? HullError)?.message, message)
            }
        }
    }
}

/// `hull check`'s namespace test against a kernel that lacks one.
final class HostChecksTests: XCTestCase {
    func testANamespaceTheKernelLacks() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hull-ns-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for name in ["pid", "mnt"] { XCTAssertTrue(FileManager.default.createFile(atPath: dir + "/" + name, contents: nil)) }
        var spec = Spec()
        spec.linux = Linux(namespaces: [LinuxNamespace(type: .pid), LinuxNamespace(type: .time), LinuxNamespace(type: .mount)])
        XCTAssertEqual(HostChecks.namespaces(spec, kernelNamespaces: dir),
                       [CheckProblem(.error, field: "linux.namespaces[1].type", "the kernel has no time namespace")])
    }
}
