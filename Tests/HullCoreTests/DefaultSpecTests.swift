import XCTest
import Foundation
@testable import HullCore

/// `Spec.runcDefault()` and `Spec.rootlessDefault(uid:gid:)` against what `runc spec` and
/// `runc spec --rootless` wrote (testdata/runc-1.1-*-config.json, generated as root).
final class DefaultSpecTests: XCTestCase {
    private func runcConfig(_ name: String) throws -> Spec {
        var spec = try TestData.spec(name)
        XCTAssertEqual(spec.ociVersion, "1.0.2-dev")
        spec.ociVersion = "1.3.0"
        return spec
    }

    func testDefaultMatchesRuncFieldByField() throws {
        let runc = try runcConfig("runc-1.1-default-config.json")
        let hull = Spec.runcDefault()
        XCTAssertEqual(hull.ociVersion, "1.3.0")
        XCTAssertEqual(hull.process?.terminal, true)
        XCTAssertEqual(hull.process?.args, ["sh"])
        XCTAssertEqual(hull.process?.user, runc.process?.user)
        XCTAssertEqual(hull.process?.env, runc.process?.env)
        XCTAssertEqual(hull.process?.cwd, runc.process?.cwd)
        XCTAssertEqual(hull.process?.capabilities, runc.process?.capabilities)
        XCTAssertEqual(hull.process?.rlimits, runc.process?.rlimits)
        XCTAssertEqual(hull.process?.noNewPrivileges, runc.process?.noNewPrivileges)
        XCTAssertEqual(hull.process, runc.process)
        XCTAssertEqual(hull.root, runc.root)
        XCTAssertEqual(hull.hostname, runc.hostname)
        XCTAssertEqual(hull.mounts?.count, runc.mounts?.count)
        for (index, (mine, theirs)) in zip(hull.mounts ?? [], runc.mounts ?? []).enumerated() {
            XCTAssertEqual(mine, theirs, "mounts[\(index)]")
        }
        XCTAssertEqual(hull.linux?.resources, runc.linux?.resources)
        XCTAssertEqual(hull.linux?.namespaces, runc.linux?.namespaces)
        XCTAssertEqual(hull.linux?.maskedPaths, runc.linux?.maskedPaths)
        XCTAssertEqual(hull.linux?.readonlyPaths, runc.linux?.readonlyPaths)
        XCTAssertEqual(hull.linux, runc.linux)
        XCTAssertEqual(hull, runc)
    }

    func testRootlessMatchesRuncFieldByField() throws {
        let runc = try runcConfig("runc-1.1-rootless-config.json")
        let hull = Spec.rootlessDefault(uid: 0, gid: 0)
        XCTAssertEqual(hull.process, runc.process)
        XCTAssertEqual(hull.root, runc.root)
        for (index, (mine, theirs)) in zip(hull.mounts ?? [], runc.mounts ?? []).enumerated() {
            XCTAssertEqual(mine, theirs, "mounts[\(index)]")
        }
        XCTAssertEqual(hull.linux?.uidMappings, runc.linux?.uidMappings)
        XCTAssertEqual(hull.linux?.gidMappings, runc.linux?.gidMappings)
        XCTAssertEqual(hull.linux?.namespaces, runc.linux?.namespaces)
        XCTAssertNil(hull.linux?.resources)
        XCTAssertEqual(hull, runc)
    }

    func testRootlessMapsTheGivenIDs() {
        let spec = Spec.rootlessDefault(uid: 1000, gid: 100)
        XCTAssertEqual(spec.linux?.uidMappings, [LinuxIDMapping(containerID: 0, hostID: 1000, size: 1)])
        XCTAssertEqual(spec.linux?.gidMappings, [LinuxIDMapping(containerID: 0, hostID: 100, size: 1)])
        XCTAssertFalse(spec.mounts?.contains { $0.options?.contains("gid=5") ?? false } ?? true)
    }

    func testDefaultsValidate() {
        XCTAssertNoThrow(try Spec.runcDefault().validate())
        XCTAssertNoThrow(try Spec.rootlessDefault(uid: 1000, gid: 1000).validate())
    }

    /// Beyond equal data: the same text as runc's, but for the indent (2 spaces, not a tab),
    /// the version and a final newline.
    func testWrittenTextMatchesRuncLayout() throws {
        for (name, spec) in [("runc-1.1-default-config.json", Spec.runcDefault()),
                             ("runc-1.1-rootless-config.json", Spec.rootlessDefault(uid: 0, gid: 0))] {
            let runc = String(decoding: try TestData.bytes(name), as: UTF8.self)
                .replacingOccurrences(of: "\t", with: "  ")
                .replacingOccurrences(of: "\"1.0.2-dev\"", with: "\"1.3.0\"")
            XCTAssertEqual(try spec.prettyJSON(), runc + "\n", name)
        }
    }

    func testWrittenTextDecodesBackToTheSameSpec() throws {
        let spec = Spec.rootlessDefault(uid: 1000, gid: 1000)
        XCTAssertEqual(try Spec.decode(Array(spec.prettyJSON().utf8)), spec)
    }

    func testWriteConfigRefusesToReplaceAFile() throws {
        let bundle = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: bundle) }
        try Spec.runcDefault().writeConfig(toBundle: bundle.path)
        XCTAssertThrowsError(try Spec.rootlessDefault(uid: 1, gid: 1).writeConfig(toBundle: bundle.path)) { error in
            XCTAssertEqual((error as? HullError)?.message, "\(bundle.path)/config.json already exists")
        }
        XCTAssertEqual(try Spec.load(bundle: bundle.path), Spec.runcDefault())
    }

    func testWriteConfigIntoAMissingDirectory() throws {
        let bundle = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: bundle) }
        let missing = bundle.appendingPathComponent("missing").path
        XCTAssertThrowsError(try Spec.runcDefault().writeConfig(toBundle: missing)) { error in
            XCTAssertEqual((error as? HullError)?.message, "open \(missing)/config.json: no such file or directory")
        }
    }
}
