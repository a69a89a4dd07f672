import XCTest
@testable import HullCore

final class SpecDecodingTests: XCTestCase {
    // MARK: runc's own output

    func testDecodesRuncDefaultConfig() throws {
        let spec = try TestData.spec("runc-1.1-default-config.json")
        XCTAssertEqual(spec.ociVersion, "1.0.2-dev")
        XCTAssertEqual(spec.process?.args, ["sh"])
        XCTAssertEqual(spec.process?.terminal, true)
        XCTAssertEqual(spec.process?.cwd, "/")
        XCTAssertEqual(spec.process?.rlimits, [POSIXRlimit(type: "RLIMIT_NOFILE", hard: 1024, soft: 1024)])
        XCTAssertEqual(spec.root, Root(path: "rootfs", readonly: true))
        XCTAssertEqual(spec.mounts?.count, 7)
        XCTAssertEqual(spec.linux?.namespaces?.map(\.type), [.pid, .network, .ipc, .uts, .mount])
        XCTAssertEqual(spec.linux?.resources?.devices, [LinuxDeviceCgroup(allow: false, access: "rwm")])
        XCTAssertNoThrow(try spec.validate())
    }

    func testRuncDefaultConfigRoundTripsWithoutLosingAField() throws {
        try assertRoundTrip("runc-1.1-default-config.json")
    }

    func testRuncRootlessConfigRoundTripsWithoutLosingAField() throws {
        try assertRoundTrip("runc-1.1-rootless-config.json")
        let spec = try TestData.spec("runc-1.1-rootless-config.json")
        XCTAssertEqual(spec.linux?.uidMappings, [LinuxIDMapping(containerID: 0, hostID: 0, size: 1)])
        XCTAssertNil(spec.linux?.resources)
        XCTAssertNoThrow(try spec.validate())
    }

    // MARK: every field

    func testFullConfigRoundTripsWithoutLosingAField() throws {
        try assertRoundTrip("full-config.json")
    }

    func testFullConfigValidates() throws {
        XCTAssertNoThrow(try TestData.spec("full-config.json").validate())
    }

    /// full-config.json must set every field of the model, so the round trip above covers them all.
    func testFullConfigSetsEveryOptionalField() throws {
        let spec = try TestData.spec("full-config.json")
        XCTAssertEqual(unsetFields(spec), [])
    }

    /// The check above notices a field the document leaves out.
    func testCoverageCheckNoticesAnUnsetField() throws {
        var spec = try TestData.spec("full-config.json")
        spec.linux?.mountLabel = nil
        XCTAssertEqual(unsetFields(spec), ["Linux.mountLabel"])
        spec.mounts?[0].options = nil
        spec.mounts?[1].options = nil
        XCTAssertEqual(unsetFields(spec), ["Linux.mountLabel", "Mount.options"])
    }

    func testFullConfigValues() throws {
        let spec = try TestData.spec("full-config.json")
        let process = try XCTUnwrap(spec.process)
        XCTAssertEqual(process.consoleSize, Box(height: 25, width: 80))
        XCTAssertEqual(process.user, User(uid: 1000, gid: 1000, umask: 18, additionalGids: [5, 6]))
        XCTAssertEqual(process.rlimits?[1].hard, UInt64.max)
        XCTAssertEqual(process.oomScoreAdj, -500)
        XCTAssertEqual(process.scheduler?.policy, "SCHED_DEADLINE")
        XCTAssertEqual(process.scheduler?.period, 30_000_000)
        XCTAssertEqual(process.ioPriority, LinuxIOPriority(class: "IOPRIO_CLASS_IDLE", priority: 4))
        XCTAssertEqual(process.execCPUAffinity, CPUAffinity(initial: "0-3,7", final: "1"))
        XCTAssertEqual(spec.hooks?.createRuntime?.first?.timeout, 5)
        XCTAssertEqual(spec.hooks?.all.map(\.name), Hooks.names)
        XCTAssertEqual(spec.mounts?[1].uidMappings, [LinuxIDMapping(containerID: 0, hostID: 100_000, size: 65536)])

        let linux = try XCTUnwrap(spec.linux)
        XCTAssertEqual(Set(linux.namespaces?.map(\.type) ?? []), Set(LinuxNamespaceType.allCases))
        XCTAssertEqual(linux.sysctl?["net.ipv4.ip_forward"], "1")
        XCTAssertEqual(linux.resources?.memory?.limit, 536_870_912)
        XCTAssertEqual(linux.resources?.memory?.kernel, -1)
        XCTAssertEqual(linux.resources?.cpu?.quota, 1_000_000)
        XCTAssertEqual(linux.resources?.pids?.limit, 32771)
        XCTAssertEqual(linux.resources?.blockIO?.weightDevice?[1], LinuxWeightDevice(major: 8, minor: 16, weight: 500))
        XCTAssertEqual(linux.resources?.blockIO?.throttleWriteIOPSDevice, [LinuxThrottleDevice(major: 8, minor: 16, rate: 400)])
        XCTAssertEqual(linux.resources?.rdma?["mlx4_0"], LinuxRdma(hcaObjects: 1000))
        XCTAssertEqual(linux.resources?.unified?["hugetlb.1GB.max"], "1073741824")
        XCTAssertEqual(linux.devices?[0], LinuxDevice(path: "/dev/fuse", type: "c", major: 10, minor: 229, fileMode: 0o666, uid: 0, gid: 0))
        XCTAssertEqual(linux.netDevices?["eth1"], LinuxNetDevice(name: "eth10"))
        XCTAssertEqual(linux.netDevices?["ens4"], LinuxNetDevice())
        XCTAssertEqual(linux.seccomp?.defaultErrnoRet, 1)
        XCTAssertEqual(linux.seccomp?.syscalls?[1].args?[0], LinuxSeccompArg(index: 0, value: 4_294_967_295, valueTwo: 8, op: "SCMP_CMP_MASKED_EQ"))
        XCTAssertEqual(linux.intelRdt?.enableMonitoring, true)
        XCTAssertEqual(linux.memoryPolicy, LinuxMemoryPolicy(mode: "MPOL_INTERLEAVE", nodes: "0-3", flags: ["MPOL_F_STATIC_NODES"]))
        XCTAssertEqual(linux.personality, LinuxPersonality(domain: "LINUX32", flags: []))
        XCTAssertEqual(linux.timeOffsets?["boottime"], LinuxTimeOffset(secs: -3600, nanosecs: 500))
    }

    // MARK: older and foreign bundles

    /// A config in the shape runtime-spec 1.0.0 tools wrote: no fields added since, and a
    /// Windows section hull does not model.
    func testDecodesVersion1_0ConfigAndIgnoresUnknownFields() throws {
        let json = """
            {
              "ociVersion": "1.0.0",
              "platform": {"os": "linux", "arch": "amd64"},
              "process": {"user": {"uid": 0, "gid": 0}, "args": ["sh"], "cwd": "/", "somethingNew": [1, 2]},
              "root": {"path": "rootfs"},
              "windows": {"layerFolders": ["C:\\\\layers"]},
              "linux": {
                "resources": {"memory": {"limit": -1, "kernel": 0}, "pids": {"limit": 0}, "disableOOMKiller": false},
                "namespaces": [{"type": "mount"}, {"type": "pid", "path": ""}]
              }
            }
            """
        let spec = try Spec.decode(Array(json.utf8))
        XCTAssertEqual(spec.ociVersion, "1.0.0")
        XCTAssertEqual(spec.linux?.resources?.memory?.limit, -1)
        XCTAssertEqual(spec.linux?.resources?.pids?.limit, 0)
        XCTAssertEqual(spec.linux?.namespaces?[1], LinuxNamespace(type: .pid, path: ""))
        XCTAssertNoThrow(try spec.validate())
    }

    func testMissingUserDecodesAsRoot() throws {
        let spec = try Spec.decode(Array(#"{"ociVersion": "1.0.2", "process": {"cwd": "/", "args": ["sh"]}}"#.utf8))
        XCTAssertEqual(spec.process?.user, User(uid: 0, gid: 0))
    }

    func testNullOptionalFieldsDecodeAsAbsent() throws {
        let spec = try Spec.decode(Array(#"{"ociVersion": "1.0.2", "hostname": null, "linux": {"namespaces": null}}"#.utf8))
        XCTAssertNil(spec.hostname)
        XCTAssertNotNil(spec.linux)
        XCTAssertNil(spec.linux?.namespaces)
    }

    func testIntegersSpelledAsFloatsDecodeAsJSONDecoderDoes() throws {
        let spec = try Spec.decode(Array(#"{"ociVersion": "1.0.2", "process": {"cwd": "/", "user": {"uid": 1e3, "gid": 5.0}}}"#.utf8))
        XCTAssertEqual(spec.process?.user, User(uid: 1000, gid: 5))
    }

    func testEncodingLeavesOutAbsentFields() throws {
        let text = try PrettyJSON.encode(Spec(ociVersion: "1.3.0", root: Root(path: "rootfs")))
        XCTAssertEqual(text, "{\n  \"ociVersion\": \"1.3.0\",\n  \"root\": {\n    \"path\": \"rootfs\"\n  }\n}\n")
    }

    func testLoadReadsAndValidatesTheBundle() throws {
        let bundle = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: bundle) }
        try Spec.runcDefault().writeConfig(toBundle: bundle.path)
        XCTAssertEqual(try Spec.load(bundle: bundle.path), Spec.runcDefault())
        XCTAssertEqual(try Spec.load(bundle: bundle.path + "/"), Spec.runcDefault())
    }

    // MARK: helpers

    /// Decoding then encoding `name` gives the same JSON data: no field lost, none added.
    private func assertRoundTrip(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let original = try TestData.bytes(name)
        let encoded = try TestData.spec(name).prettyJSON()
        XCTAssertEqual(try TestData.json(encoded), try TestData.json(original), file: file, line: line)
    }

    /// The fields of the model, as `Type.field`, that are nil or empty wherever their type
    /// occurs in `value`: what a document decoding to `value` did not exercise.
    private func unsetFields(_ value: Any) -> [String] {
        var fields: [String: Set<String>] = [:]
        var setFields: [String: Set<String>] = [:]
        func walk(_ value: Any) {
            let mirror = Mirror(reflecting: value)
            switch mirror.displayStyle {
            case .optional, .collection:
                mirror.children.forEach { walk($0.value) }
            case .dictionary:
                // Each child is a (key, value) pair.
                mirror.children.forEach { Mirror(reflecting: $0.value).children.dropFirst().forEach { walk($0.value) } }
            case .struct:
                let typeName = "\(type(of: value))"
                for child in mirror.children {
                    let label = child.label ?? "?"
                    fields[typeName, default: []].insert(label)
                    if isSet(child.value) { setFields[typeName, default: []].insert(label) }
                    walk(child.value)
                }
            default:
                break
            }
        }
        walk(value)
        // No personality flags are defined yet, so the document can only give an empty list.
        setFields["LinuxPersonality", default: []].insert("flags")
        return fields.flatMap { typeName, labels in
            labels.subtracting(setFields[typeName] ?? []).map { "\(typeName).\($0)" }
        }.sorted()
    }

    private func isSet(_ value: Any) -> Bool {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional: return mirror.children.first.map { isSet($0.value) } ?? false
        case .collection, .dictionary: return !mirror.children.isEmpty
        default: return true
        }
    }
}
