import XCTest
import Foundation
@testable import HullCore
import CHullShim

/// `Features.hull` claims only what hull does; each claim is checked here against the model.
final class FeaturesTests: XCTestCase {
    private let features = Features.hull

    func testVersions() throws {
        XCTAssertEqual(features.ociVersionMin, "1.0.0")
        XCTAssertEqual(features.ociVersionMax, "1.3.0")
        for version in [features.ociVersionMin, features.ociVersionMax] {
            var spec = Spec.runcDefault()
            spec.ociVersion = try XCTUnwrap(version)
            XCTAssertNoThrow(try spec.validate())
        }
    }

    /// Each listed hook name is a key of `hooks` that decodes, validates and is kept.
    func testEveryListedHookIsReadByTheModel() throws {
        XCTAssertEqual(features.hooks, ["prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"])
        for name in try XCTUnwrap(features.hooks) {
            let json = #"{"ociVersion": "1.3.0", "root": {"path": "rootfs"}, "hooks": {"\#(name)": [{"path": "/bin/true"}]}}"#
            let spec = try Spec.decode(Array(json.utf8))
            XCTAssertNoThrow(try spec.validate())
            XCTAssertEqual(spec.hooks?.all.map(\.name), [name])
        }
    }

    /// Each listed namespace decodes from config.json and validates.
    func testEveryListedNamespaceIsReadByTheModel() throws {
        XCTAssertEqual(features.linux?.namespaces, ["cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts"])
        for name in try XCTUnwrap(features.linux?.namespaces) {
            let json = #"{"ociVersion": "1.3.0", "root": {"path": "rootfs"}, "linux": {"namespaces": [{"type": "\#(name)"}]}}"#
            var spec = try Spec.decode(Array(json.utf8))
            XCTAssertEqual(spec.linux?.namespaces?.first?.type.rawValue, name)
            if name == "user" {
                spec.linux?.uidMappings = [LinuxIDMapping(containerID: 0, hostID: 1000, size: 1)]
                spec.linux?.gidMappings = [LinuxIDMapping(containerID: 0, hostID: 1000, size: 1)]
            }
            XCTAssertNoThrow(try spec.validate(), name)
        }
    }

    /// Each listed mount option is recognised: not taken for filesystem data, so it is
    /// accepted even on a bind mount.
    func testEveryListedMountOptionIsRecognised() throws {
        for option in try XCTUnwrap(features.mountOptions) {
            XCTAssertFalse(MountOptions.isFilesystemData(option), option)
            var spec = Spec.runcDefault()
            spec.mounts?.append(Mount(destination: "/data", type: "none", source: "/srv", options: ["rbind", option]))
            XCTAssertNoThrow(try spec.validate(), option)
        }
        XCTAssertTrue(MountOptions.isFilesystemData("mode=755"))
    }

    /// runc 1.1's vocabulary (testdata/runc-1.1-features.json), its `tmpcopyup` extension included.
    func testMountOptionsAreRuncs() throws {
        let runc = try JSONDecoder().decode(Features.self, from: Data(TestData.bytes("runc-1.1-features.json")))
        XCTAssertEqual(features.mountOptions, runc.mountOptions)
    }

    /// What hull does not apply yet is reported as not supported, never as unknown.
    func testUnimplementedFeaturesAreReportedAsUnsupported() throws {
        let linux = try XCTUnwrap(features.linux)
        XCTAssertEqual(linux.cgroup, Features.Cgroup(v1: true, v2: true, systemd: true, systemdUser: false, rdma: false))
        XCTAssertEqual(linux.apparmor, Features.Apparmor(enabled: false))
        XCTAssertEqual(linux.selinux, Features.Selinux(enabled: false))
        XCTAssertEqual(linux.intelRdt, Features.IntelRdt(enabled: false, schemata: false, monitoring: false))
        XCTAssertEqual(linux.memoryPolicy, Features.MemoryPolicy(modes: [], flags: []))
        XCTAssertEqual(linux.mountExtensions, Features.MountExtensions(idmap: Features.IDMap(enabled: false)))
        XCTAssertEqual(linux.netDevices, Features.NetDevices(enabled: false))
    }

    /// Capabilities and seccomp: the names listed are those the model accepts and hull applies
    /// (the integration tests CapabilityTests and SeccompTests show each reaching the kernel).
    func testCapabilitiesAndSeccomp() throws {
        let linux = try XCTUnwrap(features.linux)
        XCTAssertEqual(linux.capabilities?.count, 41)
        XCTAssertEqual(linux.capabilities?.first, "CAP_CHOWN")
        XCTAssertEqual(linux.capabilities?.last, "CAP_CHECKPOINT_RESTORE")
        let seccomp = try XCTUnwrap(linux.seccomp)
        XCTAssertEqual(seccomp.enabled, true)
        XCTAssertEqual(seccomp.actions, ["SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
                                         "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY"])
        XCTAssertEqual(seccomp.operators, LinuxSeccomp.knownOperators)
        XCTAssertEqual(seccomp.knownFlags, LinuxSeccomp.knownFlags)
        XCTAssertTrue(Set(seccomp.archs ?? []).isSuperset(of: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64"]))
        XCTAssertTrue(Set(seccomp.supportedFlags ?? []).isSubset(of: Set(seccomp.knownFlags ?? [])))
    }

    func testAnnotations() {
        XCTAssertEqual(features.annotations?["hull.version"], HullVersion.version)
        XCTAssertEqual(features.annotations?["hull.landlock.abi"].flatMap { Int($0) }, Int(hull_landlock_abi()))
        XCTAssertEqual(features.annotations?["io.github.seccomp.libseccomp.version"], HullVersion.libseccomp)
    }

    /// The printed document follows features.md's layout and decodes back.
    func testJSON() throws {
        let text = try PrettyJSON.encode(features)
        let json = try JSONParser.parse(Array(text.utf8))
        guard case .object(let members) = json else { return XCTFail("not an object") }
        XCTAssertEqual(members.map(\.key), ["ociVersionMin", "ociVersionMax", "hooks", "mountOptions", "linux", "annotations"])
        XCTAssertEqual(json["linux"]?["capabilities"], .array(Capability.names.map { .string($0) }))
        XCTAssertEqual(json["linux"]?["seccomp"]?["enabled"], .bool(true))
        XCTAssertEqual(try JSONDecoder().decode(Features.self, from: Data(text.utf8)), features)
    }

    /// runc's features document decodes into the model with nothing lost.
    func testDecodesRuncFeatures() throws {
        let bytes = try TestData.bytes("runc-1.1-features.json")
        let runc = try JSONDecoder().decode(Features.self, from: Data(bytes))
        XCTAssertEqual(runc.linux?.seccomp?.enabled, true)
        XCTAssertEqual(runc.linux?.cgroup?.systemdUser, true)
        XCTAssertEqual(try TestData.json(PrettyJSON.encode(runc)), try TestData.json(bytes))
    }
}
