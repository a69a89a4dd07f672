import XCTest
@testable import HullCore

/// Every error config.json can produce, with its exact message.
final class SpecErrorTests: XCTestCase {
    // MARK: reading the file

    func testMissingFile() throws {
        let bundle = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: bundle) }
        assertError("config.json: open \(bundle.path)/config.json: no such file or directory") {
            _ = try Spec.load(bundle: bundle.path)
        }
    }

    func testConfigThatIsADirectory() throws {
        let bundle = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: bundle) }
        try FileManager.default.createDirectory(at: bundle.appendingPathComponent("config.json"), withIntermediateDirectories: false)
        assertError("config.json: read \(bundle.path)/config.json: is a directory") {
            _ = try Spec.load(bundle: bundle.path)
        }
    }

    func testLoadValidates() throws {
        let bundle = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: bundle) }
        var spec = Spec.runcDefault()
        spec.ociVersion = "2.0.0"
        try spec.writeConfig(toBundle: bundle.path)
        assertError("config.json: ociVersion: unsupported version \"2.0.0\" (hull supports 1.x)") {
            _ = try Spec.load(bundle: bundle.path)
        }
    }

    // MARK: malformed JSON

    func testMalformedJSONNamesLineAndColumn() {
        assertDecodeError("{\"ociVersion\": \"1.0.0\",\n  \"root\": }", "config.json: invalid JSON: unexpected character '}' at line 2, column 11")
        assertDecodeError("{\"ociVersion\": \"1.0.0\" \"root\": {}}", "config.json: invalid JSON: expected ',' or '}' after object member \"ociVersion\" at line 1, column 24")
        assertDecodeError("{\"ociVersion\": \"1.0.0}", "config.json: invalid JSON: unterminated string at line 1, column 16")
        assertDecodeError("{\"ociVersion\": \"1.0.0\"} x", "config.json: invalid JSON: unexpected data after the top-level value at line 1, column 25")
        assertDecodeError("{\"ociVersion\": \"1.0.0\", \"process\": {\"cwd\": \"/\", \"oomScoreAdj\": 01}}",
                          "config.json: invalid JSON: invalid number: leading zero at line 1, column 64")
        assertDecodeError("{\"ociVersion\": \"a\\qb\"}", "config.json: invalid JSON: invalid escape sequence '\\q' in string at line 1, column 18")
        assertDecodeError("[1, 2", "config.json: invalid JSON: unexpected end of input in an array at line 1, column 6")
    }

    func testEmptyFile() {
        assertDecodeError("", "config.json: invalid JSON: unexpected end of input at line 1, column 1")
    }

    func testTopLevelMustBeAnObject() {
        assertDecodeError("[]", "config.json: top level: expected an object")
    }

    // MARK: JSON types

    func testWrongTypeNamesTheField() {
        assertDecodeError(#"{"ociVersion": "1.0.0", "linux": {"resources": {"memory": {"limit": "1G"}}}}"#,
                          "config.json: linux.resources.memory.limit: expected an integer")
        assertDecodeError(#"{"ociVersion": 1}"#, "config.json: ociVersion: expected a string")
        assertDecodeError(#"{"ociVersion": "1.0.0", "root": {"path": "r", "readonly": "yes"}}"#,
                          "config.json: root.readonly: expected a boolean")
        assertDecodeError(#"{"ociVersion": "1.0.0", "process": "sh"}"#, "config.json: process: expected an object")
        assertDecodeError(#"{"ociVersion": "1.0.0", "mounts": {}}"#, "config.json: mounts: expected an array")
    }

    func testArrayIndicesAndMapKeysInPaths() {
        assertDecodeError(#"{"ociVersion": "1.0.0", "process": {"cwd": "/", "args": ["sh", 1]}}"#,
                          "config.json: process.args[1]: expected a string")
        assertDecodeError(#"{"ociVersion": "1.0.0", "linux": {"sysctl": {"net.ipv4.ip_forward": 1}}}"#,
                          #"config.json: linux.sysctl["net.ipv4.ip_forward"]: expected a string"#)
        assertDecodeError(#"{"ociVersion": "1.0.0", "linux": {"netDevices": {"eth0": {"name": 0}}}}"#,
                          "config.json: linux.netDevices.eth0.name: expected a string")
    }

    func testUnknownNamespaceType() {
        assertDecodeError(#"{"ociVersion": "1.0.0", "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}, {"type": "foo"}]}}"#,
                          #"config.json: linux.namespaces[2].type: unknown namespace type "foo""#)
    }

    func testMissingRequiredField() {
        assertDecodeError(#"{"ociVersion": "1.0.0", "process": {"args": ["sh"]}}"#, "config.json: process.cwd: required field missing")
        assertDecodeError(#"{"root": {"path": "rootfs"}}"#, "config.json: ociVersion: required field missing")
        assertDecodeError(#"{"ociVersion": "1.0.0", "mounts": [{"destination": "/a"}, {"type": "tmpfs"}]}"#,
                          "config.json: mounts[1].destination: required field missing")
        assertDecodeError(#"{"ociVersion": "1.0.0", "linux": {"resources": {"devices": [{"access": "rwm"}]}}}"#,
                          "config.json: linux.resources.devices[0].allow: required field missing")
        assertDecodeError(#"{"ociVersion": "1.0.0", "linux": {"seccomp": {"syscalls": []}}}"#,
                          "config.json: linux.seccomp.defaultAction: required field missing")
    }

    func testNullForARequiredField() {
        assertDecodeError(#"{"ociVersion": "1.0.0", "process": {"cwd": null}}"#, "config.json: process.cwd: expected a string, got null")
    }

    func testNumbersOutOfRangeNameTheField() {
        assertDecodeError(#"{"ociVersion": "1.0.0", "process": {"cwd": "/", "user": {"uid": -1, "gid": 0}}}"#,
                          "config.json: process.user.uid: expected an integer from 0 to 4294967295, got -1")
        assertDecodeError(#"{"ociVersion": "1.0.0", "process": {"cwd": "/", "rlimits": [{"type": "RLIMIT_CPU", "soft": 1, "hard": 18446744073709551616}]}}"#,
                          "config.json: process.rlimits[0].hard: expected an integer from 0 to 18446744073709551615, got 18446744073709551616")
        assertDecodeError(#"{"ociVersion": "1.0.0", "linux": {"resources": {"blockIO": {"weight": 70000}}}}"#,
                          "config.json: linux.resources.blockIO.weight: expected an integer from 0 to 65535, got 70000")
    }

    func testFractionWhereAnIntegerBelongs() {
        assertDecodeError(#"{"ociVersion": "1.0.0", "linux": {"resources": {"memory": {"limit": 1.5}}}}"#,
                          "config.json: linux.resources.memory.limit: expected an integer, got 1.5")
    }

    // MARK: validation: version, root, process

    func testUnsupportedVersion() {
        assertInvalid(#"config.json: ociVersion: unsupported version "2.0.0" (hull supports 1.x)"#) { $0.ociVersion = "2.0.0" }
        assertInvalid(#"config.json: ociVersion: unsupported version "0.6.0" (hull supports 1.x)"#) { $0.ociVersion = "0.6.0" }
        assertInvalid(#"config.json: ociVersion: invalid version "1.0" (expected SemVer such as "1.3.0")"#) { $0.ociVersion = "1.0" }
        assertInvalid(#"config.json: ociVersion: invalid version "1.02.0" (expected SemVer such as "1.3.0")"#) { $0.ociVersion = "1.02.0" }
        assertInvalid("config.json: ociVersion: must not be empty") { $0.ociVersion = "" }
    }

    func testSupportedVersions() throws {
        for version in ["1.0.0", "1.0.2-dev", "1.1.0-rc.1", "1.2.1", "1.3.0", "1.3.0+dev", "1.4.0"] {
            var spec = Spec.runcDefault()
            spec.ociVersion = version
            XCTAssertNoThrow(try spec.validate(), version)
        }
    }

    func testRootRequired() {
        assertInvalid("config.json: root: required field missing") { $0.root = nil }
        assertInvalid("config.json: root.path: must not be empty") { $0.root?.path = "" }
    }

    func testProcessArgs() {
        assertInvalid("config.json: process.args: must not be empty") { $0.process?.args = [] }
        assertInvalid("config.json: process.args: must not be empty") { $0.process?.args = nil }
        assertInvalid("config.json: process.args[0]: must not be empty") { $0.process?.args = ["", "x"] }
        assertInvalid("config.json: process.args[1]: must not contain a NUL byte") { $0.process?.args = ["sh", "a\u{0}b"] }
    }

    func testProcessWithoutArgsIsFineWithoutProcess() throws {
        var spec = Spec.runcDefault()
        spec.process = nil
        XCTAssertNoThrow(try spec.validate())
    }

    func testProcessCwd() {
        assertInvalid(#"config.json: process.cwd: must be an absolute path, got "tmp""#) { $0.process?.cwd = "tmp" }
        assertInvalid("config.json: process.cwd: must not be empty") { $0.process?.cwd = "" }
    }

    func testProcessEnv() {
        assertInvalid(#"config.json: process.env[2]: expected NAME=VALUE, got "FOO""#) { $0.process?.env?.append("FOO") }
        assertInvalid("config.json: process.env[2]: variable name must not be empty") { $0.process?.env?.append("=x") }
    }

    func testRlimits() {
        assertInvalid(#"config.json: process.rlimits[0].type: unknown rlimit "RLIMIT_FOO""#) {
            $0.process?.rlimits = [POSIXRlimit(type: "RLIMIT_FOO", hard: 1, soft: 1)]
        }
        assertInvalid("config.json: process.rlimits[0]: soft limit 2048 is greater than hard limit 1024") {
            $0.process?.rlimits = [POSIXRlimit(type: "RLIMIT_NOFILE", hard: 1024, soft: 2048)]
        }
        assertInvalid(#"config.json: process.rlimits[1].type: duplicate rlimit "RLIMIT_NOFILE""#) {
            $0.process?.rlimits?.append(POSIXRlimit(type: "RLIMIT_NOFILE", hard: 10, soft: 10))
        }
    }

    func testEveryKnownRlimitIsAccepted() throws {
        var spec = Spec.runcDefault()
        spec.process?.rlimits = POSIXRlimit.knownTypes.map { POSIXRlimit(type: $0, hard: .max, soft: 0) }
        XCTAssertNoThrow(try spec.validate())
    }

    func testOOMScoreAdj() {
        assertInvalid("config.json: process.oomScoreAdj: must be between -1000 and 1000, got 1001") { $0.process?.oomScoreAdj = 1001 }
    }

    func testScheduler() {
        assertInvalid(#"config.json: process.scheduler.policy: unknown scheduler policy "SCHED_FAST""#) {
            $0.process?.scheduler = Scheduler(policy: "SCHED_FAST")
        }
        assertInvalid(#"config.json: process.scheduler.flags[0]: unknown scheduler flag "SCHED_FLAG_X""#) {
            $0.process?.scheduler = Scheduler(policy: "SCHED_OTHER", flags: ["SCHED_FLAG_X"])
        }
        assertInvalid("config.json: process.scheduler.nice: must be between -20 and 19 for SCHED_OTHER, got 20") {
            $0.process?.scheduler = Scheduler(policy: "SCHED_OTHER", nice: 20)
        }
        assertInvalid("config.json: process.scheduler.priority: only applies to SCHED_FIFO and SCHED_RR, not SCHED_BATCH") {
            $0.process?.scheduler = Scheduler(policy: "SCHED_BATCH", priority: 3)
        }
        assertInvalid("config.json: process.scheduler.runtime: only applies to SCHED_DEADLINE, not SCHED_FIFO") {
            $0.process?.scheduler = Scheduler(policy: "SCHED_FIFO", priority: 3, runtime: 100)
        }
    }

    func testIOPriority() {
        assertInvalid(#"config.json: process.ioPriority.class: unknown I/O priority class "IOPRIO_CLASS_NONE""#) {
            $0.process?.ioPriority = LinuxIOPriority(class: "IOPRIO_CLASS_NONE", priority: 0)
        }
        assertInvalid("config.json: process.ioPriority.priority: must be between 0 and 7, got 8") {
            $0.process?.ioPriority = LinuxIOPriority(class: "IOPRIO_CLASS_BE", priority: 8)
        }
    }

    func testExecCPUAffinity() {
        assertInvalid(#"config.json: process.execCPUAffinity.final: invalid CPU list "3-1""#) {
            $0.process?.execCPUAffinity = CPUAffinity(initial: "0-3", final: "3-1")
        }
        assertInvalid(#"config.json: process.execCPUAffinity.initial: invalid CPU list "one""#) {
            $0.process?.execCPUAffinity = CPUAffinity(initial: "one")
        }
    }

    // MARK: validation: mounts, hooks, annotations, names

    func testMountDestinationMustBeAbsolute() {
        assertInvalid(#"config.json: mounts[2].destination: must be an absolute path, got "dev/pts""#) { $0.mounts?[2].destination = "dev/pts" }
        assertInvalid("config.json: mounts[0].source: must not contain a NUL byte") { $0.mounts?[0].source = "pr\u{0}oc" }
    }

    func testIDMappedMounts() {
        let mapping = [LinuxIDMapping(containerID: 0, hostID: 1000, size: 1)]
        assertInvalid("config.json: mounts[7]: uidMappings and gidMappings must be given together") {
            $0.mounts?.append(Mount(destination: "/data", source: "/srv", options: ["rbind"], uidMappings: mapping))
        }
        assertInvalid(#"config.json: mounts[0]: ID-mapped mounts are only supported for bind mounts (add "bind" or "rbind" to options)"#) {
            $0.mounts?[0].options = ["idmap"]
        }
        assertInvalid(#"config.json: mounts[7].options: idmap without uidMappings and gidMappings requires a "user" entry in linux.namespaces"#) {
            $0.mounts?.append(Mount(destination: "/data", source: "/srv", options: ["bind", "idmap"]))
        }
        assertInvalid("config.json: mounts[7].uidMappings[0].size: must be greater than zero") {
            let empty = [LinuxIDMapping(containerID: 0, hostID: 1000, size: 0)]
            $0.mounts?.append(Mount(destination: "/data", source: "/srv", options: ["bind"], uidMappings: empty, gidMappings: empty))
        }
    }

    func testBindMountsRefuseFilesystemData() {
        assertInvalid(#"config.json: mounts[7].options: bind mounts cannot take filesystem-specific options ("mode=755", "size=1k")"#) {
            $0.mounts?.append(Mount(destination: "/data", type: "none", source: "/srv", options: ["rbind", "mode=755", "ro", "size=1k"]))
        }
    }

    func testHooks() {
        assertInvalid(#"config.json: hooks.poststart[1].path: must be an absolute path, got "notify""#) {
            $0.hooks = Hooks(poststart: [Hook(path: "/bin/true"), Hook(path: "notify")])
        }
        assertInvalid("config.json: hooks.createRuntime[0].path: must not be empty") {
            $0.hooks = Hooks(createRuntime: [Hook()])
        }
        assertInvalid("config.json: hooks.poststop[0].timeout: must be greater than zero, got 0") {
            $0.hooks = Hooks(poststop: [Hook(path: "/bin/true", timeout: 0)])
        }
    }

    func testAnnotationKeys() {
        assertInvalid(#"config.json: annotations[""]: key must not be empty"#) { $0.annotations = ["": "x"] }
    }

    func testHostnameAndDomainnameNeedAUTSNamespace() {
        assertInvalid(#"config.json: hostname: requires a "uts" entry in linux.namespaces"#) {
            $0.linux?.namespaces?.removeAll { $0.type == .uts }
        }
        assertInvalid(#"config.json: domainname: requires a "uts" entry in linux.namespaces"#) {
            $0.hostname = nil
            $0.domainname = "example.org"
            $0.linux?.namespaces?.removeAll { $0.type == .uts }
        }
    }

    // MARK: validation: namespaces and IDs

    func testDuplicateNamespace() {
        assertInvalid(#"config.json: linux.namespaces[5].type: duplicate namespace type "pid""#) {
            $0.linux?.namespaces?.append(LinuxNamespace(type: .pid))
        }
    }

    func testNamespacePathMustBeAbsolute() {
        assertInvalid(#"config.json: linux.namespaces[0].path: must be an absolute path, got "proc/1/ns/pid""#) {
            $0.linux?.namespaces?[0].path = "proc/1/ns/pid"
        }
    }

    func testIDMappingsNeedAUserNamespace() {
        assertInvalid(#"config.json: linux.uidMappings: requires a "user" entry in linux.namespaces"#) {
            $0.linux?.uidMappings = [LinuxIDMapping(containerID: 0, hostID: 1000, size: 1)]
        }
        assertInvalid(#"config.json: linux.gidMappings: requires a "user" entry in linux.namespaces"#) {
            $0.linux?.gidMappings = [LinuxIDMapping(containerID: 0, hostID: 1000, size: 1)]
        }
    }

    func testNewUserNamespaceNeedsMappings() {
        assertInvalid("config.json: linux.gidMappings: required for a new user namespace (linux.namespaces[4])", base: .rootless) {
            $0.linux?.gidMappings = nil
        }
        assertInvalid("config.json: linux.uidMappings: required for a new user namespace (linux.namespaces[4])", base: .rootless) {
            $0.linux?.uidMappings = []
        }
    }

    func testJoinedUserNamespaceNeedsNoMappings() throws {
        var spec = Spec.rootlessDefault(uid: 1000, gid: 1000)
        spec.linux?.uidMappings = nil
        spec.linux?.gidMappings = nil
        spec.linux?.namespaces?[4].path = "/proc/1/ns/user"
        XCTAssertNoThrow(try spec.validate())
    }

    func testIDMappingRanges() {
        assertInvalid("config.json: linux.uidMappings[0].size: must be greater than zero", base: .rootless) {
            $0.linux?.uidMappings = [LinuxIDMapping(containerID: 0, hostID: 1000, size: 0)]
        }
        assertInvalid("config.json: linux.uidMappings[0]: host IDs 4294967295+2 go beyond 4294967295", base: .rootless) {
            $0.linux?.uidMappings = [LinuxIDMapping(containerID: 0, hostID: .max, size: 2)]
        }
        assertInvalid("config.json: linux.gidMappings[1]: container IDs overlap linux.gidMappings[0]", base: .rootless) {
            $0.linux?.gidMappings = [LinuxIDMapping(containerID: 0, hostID: 1000, size: 10),
                                    LinuxIDMapping(containerID: 9, hostID: 2000, size: 10)]
        }
        assertInvalid("config.json: linux.uidMappings: must have at most 340 entries, got 341", base: .rootless) {
            $0.linux?.uidMappings = (0..<341).map { LinuxIDMapping(containerID: UInt32($0), hostID: 1000 + UInt32($0), size: 1) }
        }
        assertInvalid("config.json: linux.gidMappings[1]: host IDs overlap linux.gidMappings[0]", base: .rootless) {
            $0.linux?.gidMappings = [LinuxIDMapping(containerID: 0, hostID: 1000, size: 10),
                                    LinuxIDMapping(containerID: 10, hostID: 990, size: 11)]
        }
    }

    func testTimeOffsets() {
        let offsets = ["monotonic": LinuxTimeOffset(secs: 10)]
        assertInvalid(#"config.json: linux.timeOffsets: requires a "time" entry in linux.namespaces"#) {
            $0.linux?.timeOffsets = offsets
        }
        assertInvalid("config.json: linux.timeOffsets: cannot be set when joining an existing time namespace (linux.namespaces[5].path)") {
            $0.linux?.namespaces?.append(LinuxNamespace(type: .time, path: "/proc/1/ns/time"))
            $0.linux?.timeOffsets = offsets
        }
        assertInvalid(#"config.json: linux.timeOffsets.realtime: unknown clock "realtime" (expected "monotonic" or "boottime")"#) {
            $0.linux?.namespaces?.append(LinuxNamespace(type: .time))
            $0.linux?.timeOffsets = ["realtime": LinuxTimeOffset(secs: 1)]
        }
        assertInvalid("config.json: linux.timeOffsets.boottime.nanosecs: must be less than 1000000000, got 1000000000") {
            $0.linux?.namespaces?.append(LinuxNamespace(type: .time))
            $0.linux?.timeOffsets = ["boottime": LinuxTimeOffset(secs: 1, nanosecs: 1_000_000_000)]
        }
    }

    // MARK: validation: devices, sysctl, paths

    func testDevices() {
        assertInvalid(#"config.json: linux.devices[0].path: must be an absolute path, got "dev/fuse""#) {
            $0.linux?.devices = [LinuxDevice(path: "dev/fuse", type: "c", major: 10, minor: 229)]
        }
        assertInvalid(#"config.json: linux.devices[1].type: unknown device type "x" (expected "c", "b", "u" or "p")"#) {
            $0.linux?.devices = [LinuxDevice(path: "/dev/fifo", type: "p"), LinuxDevice(path: "/dev/x", type: "x")]
        }
    }

    func testSysctl() {
        assertInvalid(#"config.json: linux.sysctl[""]: key must not be empty"#) { $0.linux?.sysctl = ["": "1"] }
        assertInvalid(#"config.json: linux.sysctl["kernel.shmmax"]: requires an "ipc" entry in linux.namespaces"#) {
            $0.linux?.sysctl = ["kernel.shmmax": "1"]
            $0.linux?.namespaces?.removeAll { $0.type == .ipc }
        }
        assertInvalid(#"config.json: linux.sysctl["net/ipv4/conf/eth0.100/rp_filter"]: requires a "network" entry in linux.namespaces"#) {
            $0.linux?.sysctl = ["net/ipv4/conf/eth0.100/rp_filter": "1"]
            $0.linux?.namespaces?.removeAll { $0.type == .network }
        }
        assertInvalid(#"config.json: linux.sysctl["kernel.hostname"]: conflicts with the hostname field; set that instead"#) {
            $0.linux?.sysctl = ["kernel.hostname": "x"]
        }
        assertInvalid(#"config.json: linux.sysctl["user.max_user_namespaces"]: requires a "user" entry in linux.namespaces"#) {
            $0.linux?.sysctl = ["user.max_user_namespaces": "0"]
        }
        assertInvalid(#"config.json: linux.sysctl["vm.swappiness"]: not in a separate kernel namespace, so the container may not set it"#) {
            $0.linux?.sysctl = ["vm.swappiness": "10"]
        }
    }

    func testNamespacedSysctlsAreAccepted() throws {
        var spec = Spec.runcDefault()
        spec.linux?.sysctl = ["kernel.shmmax": "1", "fs.mqueue.msg_max": "10", "net.ipv4.ip_forward": "1", "kernel.domainname": "x"]
        XCTAssertNoThrow(try spec.validate())
    }

    func testMaskedAndReadonlyPaths() {
        assertInvalid(#"config.json: linux.maskedPaths: requires a "mount" entry in linux.namespaces"#) {
            $0.linux?.namespaces?.removeAll { $0.type == .mount }
        }
        assertInvalid(#"config.json: linux.readonlyPaths[1]: must be an absolute path, got "proc/fs""#) {
            $0.linux?.readonlyPaths?[1] = "proc/fs"
        }
    }

    func testRootfsPropagation() {
        assertInvalid(#"config.json: linux.rootfsPropagation: unknown propagation "recursive" (expected "shared", "rshared", "slave", "rslave", "private", "rprivate", "unbindable" or "runbindable")"#) {
            $0.linux?.rootfsPropagation = "recursive"
        }
    }

    func testNetDevices() {
        assertInvalid(#"config.json: linux.netDevices: requires a "network" entry in linux.namespaces"#, base: .rootless) {
            $0.linux?.netDevices = ["eth1": LinuxNetDevice()]
        }
        assertInvalid(#"config.json: linux.netDevices["eth1:0"]: invalid network interface name "eth1:0""#) {
            $0.linux?.netDevices = ["eth1:0": LinuxNetDevice()]
        }
        assertInvalid(#"config.json: linux.netDevices.eth1.name: invalid network interface name "a-very-long-name0""#) {
            $0.linux?.netDevices = ["eth1": LinuxNetDevice(name: "a-very-long-name0")]
        }
    }

    // MARK: validation: resources

    func testDeviceCgroupRules() {
        assertInvalid(#"config.json: linux.resources.devices[1].type: unknown device type "u" (expected "a", "c" or "b")"#) {
            $0.linux?.resources?.devices?.append(LinuxDeviceCgroup(allow: true, type: "u", access: "r"))
        }
        assertInvalid("config.json: linux.resources.devices[1].access: must not be empty") {
            $0.linux?.resources?.devices?.append(LinuxDeviceCgroup(allow: true, type: "c"))
        }
        assertInvalid(#"config.json: linux.resources.devices[0].access: invalid access "rwx" (expected a combination of r, w and m)"#) {
            $0.linux?.resources?.devices?[0].access = "rwx"
        }
    }

    func testMemory() {
        assertInvalid("config.json: linux.resources.memory.limit: must be -1 (unlimited) or a number of bytes, got -2") {
            $0.linux?.resources?.memory = LinuxMemory(limit: -2)
        }
        assertInvalid("config.json: linux.resources.memory.swap: requires linux.resources.memory.limit") {
            $0.linux?.resources?.memory = LinuxMemory(swap: 1024)
        }
        assertInvalid("config.json: linux.resources.memory.swap: must be at least linux.resources.memory.limit (2048), got 1024") {
            $0.linux?.resources?.memory = LinuxMemory(limit: 2048, swap: 1024)
        }
        assertInvalid("config.json: linux.resources.memory.swap: cannot be limited while linux.resources.memory.limit is -1 (unlimited)") {
            $0.linux?.resources?.memory = LinuxMemory(limit: -1, swap: 1024)
        }
        assertInvalid("config.json: linux.resources.memory.swappiness: must be between 0 and 100, got 101") {
            $0.linux?.resources?.memory = LinuxMemory(swappiness: 101)
        }
    }

    func testCPU() {
        assertInvalid("config.json: linux.resources.cpu.burst: must not exceed linux.resources.cpu.quota (1000), got 2000") {
            $0.linux?.resources?.cpu = LinuxCPU(quota: 1000, burst: 2000)
        }
        assertInvalid(#"config.json: linux.resources.cpu.cpus: invalid list "0-" (expected a list such as "0-3,7")"#) {
            $0.linux?.resources?.cpu = LinuxCPU(cpus: "0-")
        }
        assertInvalid(#"config.json: linux.resources.cpu.mems: invalid list ",," (expected a list such as "0-3,7")"#) {
            $0.linux?.resources?.cpu = LinuxCPU(mems: ",,")
        }
        assertInvalid("config.json: linux.resources.cpu.idle: must be 0 or 1, got 2") {
            $0.linux?.resources?.cpu = LinuxCPU(idle: 2)
        }
    }

    func testBlockIO() {
        assertInvalid("config.json: linux.resources.blockIO.weight: must be between 10 and 1000, got 5") {
            $0.linux?.resources?.blockIO = LinuxBlockIO(weight: 5)
        }
        assertInvalid("config.json: linux.resources.blockIO.weightDevice[0]: must set weight or leafWeight") {
            $0.linux?.resources?.blockIO = LinuxBlockIO(weightDevice: [LinuxWeightDevice(major: 8, minor: 0)])
        }
        assertInvalid("config.json: linux.resources.blockIO.weightDevice[0].leafWeight: must be between 10 and 1000, got 1001") {
            $0.linux?.resources?.blockIO = LinuxBlockIO(weightDevice: [LinuxWeightDevice(major: 8, minor: 0, leafWeight: 1001)])
        }
    }

    /// docker 20.10 puts `"blockIO": {"weight": 0}` in every config: 0 is "not set", as in runc.
    func testBlockIOWeightZeroMeansUnset() throws {
        var spec = Spec.runcDefault()
        spec.linux?.resources?.blockIO = LinuxBlockIO(weight: 0, leafWeight: 0)
        XCTAssertEqual(spec.linux?.resources?.blockIO?.weight, 0)
        XCTAssertNoThrow(try spec.validate())
    }

    func testHugepagesRdmaUnifiedNetwork() {
        assertInvalid(#"config.json: linux.resources.hugepageLimits[0].pageSize: invalid page size "2M" (expected a size such as "2MB" or "1GB")"#) {
            $0.linux?.resources?.hugepageLimits = [LinuxHugepageLimit(pageSize: "2M", limit: 1)]
        }
        assertInvalid("config.json: linux.resources.rdma.mlx5_1: must set hcaHandles or hcaObjects") {
            $0.linux?.resources?.rdma = ["mlx5_1": LinuxRdma()]
        }
        assertInvalid(#"config.json: linux.resources.unified["../memory.max"]: must be a file name in the cgroup directory"#) {
            $0.linux?.resources?.unified = ["../memory.max": "1"]
        }
        assertInvalid("config.json: linux.resources.network.priorities[0].name: must not be empty") {
            $0.linux?.resources?.network = LinuxNetwork(priorities: [LinuxInterfacePriority(name: "", priority: 1)])
        }
    }

    // MARK: validation: seccomp

    func testSeccompNames() {
        assertInvalid(#"config.json: linux.seccomp.defaultAction: unknown seccomp action "SCMP_ACT_FOO""#) {
            $0.linux?.seccomp = LinuxSeccomp(defaultAction: "SCMP_ACT_FOO")
        }
        assertInvalid(#"config.json: linux.seccomp.syscalls[1].action: unknown seccomp action "SCMP_ACT_BAR""#) {
            $0.linux?.seccomp = LinuxSeccomp(defaultAction: "SCMP_ACT_ALLOW", syscalls: [
                LinuxSyscall(names: ["read"], action: "SCMP_ACT_LOG"), LinuxSyscall(names: ["write"], action: "SCMP_ACT_BAR"),
            ])
        }
        assertInvalid(#"config.json: linux.seccomp.syscalls[0].args[0].op: unknown seccomp operator "SCMP_CMP_FOO""#) {
            $0.linux?.seccomp = LinuxSeccomp(defaultAction: "SCMP_ACT_ALLOW", syscalls: [
                LinuxSyscall(names: ["read"], action: "SCMP_ACT_KILL", args: [LinuxSeccompArg(index: 0, value: 1, op: "SCMP_CMP_FOO")]),
            ])
        }
        assertInvalid(#"config.json: linux.seccomp.architectures[0]: unknown seccomp architecture "SCMP_ARCH_Z80""#) {
            $0.linux?.seccomp = LinuxSeccomp(defaultAction: "SCMP_ACT_ALLOW", architectures: ["SCMP_ARCH_Z80"])
        }
        assertInvalid(#"config.json: linux.seccomp.flags[0]: unknown seccomp flag "SECCOMP_FILTER_FLAG_FAST""#) {
            $0.linux?.seccomp = LinuxSeccomp(defaultAction: "SCMP_ACT_ALLOW", flags: ["SECCOMP_FILTER_FLAG_FAST"])
        }
    }

    func testSeccompRules() {
        assertInvalid("config.json: linux.seccomp.syscalls[0].names: must not be empty") {
            $0.linux?.seccomp = LinuxSeccomp(defaultAction: "SCMP_ACT_ALLOW", syscalls: [LinuxSyscall(names: [], action: "SCMP_ACT_KILL")])
        }
        assertInvalid("config.json: linux.seccomp.syscalls[0].errnoRet: only applies to SCMP_ACT_ERRNO and SCMP_ACT_TRACE, not SCMP_ACT_KILL") {
            $0.linux?.seccomp = LinuxSeccomp(defaultAction: "SCMP_ACT_ALLOW", syscalls: [LinuxSyscall(names: ["read"], action: "SCMP_ACT_KILL", errnoRet: 1)])
        }
        assertInvalid("config.json: linux.seccomp.defaultErrnoRet: only applies to SCMP_ACT_ERRNO and SCMP_ACT_TRACE, not SCMP_ACT_ALLOW") {
            $0.linux?.seccomp = LinuxSeccomp(defaultAction: "SCMP_ACT_ALLOW", defaultErrnoRet: 1)
        }
        assertInvalid("config.json: linux.seccomp.listenerMetadata: requires linux.seccomp.listenerPath") {
            $0.linux?.seccomp = LinuxSeccomp(defaultAction: "SCMP_ACT_ALLOW", listenerMetadata: "x")
        }
        assertInvalid("config.json: linux.seccomp.syscalls[0].args[0].index: must be between 0 and 5, got 6") {
            $0.linux?.seccomp = LinuxSeccomp(defaultAction: "SCMP_ACT_ALLOW", syscalls: [
                LinuxSyscall(names: ["read"], action: "SCMP_ACT_KILL", args: [LinuxSeccompArg(index: 6, value: 1, op: "SCMP_CMP_EQ")]),
            ])
        }
    }

    func testEverySeccompNameOfTheSpecIsAccepted() throws {
        var spec = Spec.runcDefault()
        spec.linux?.seccomp = LinuxSeccomp(
            defaultAction: "SCMP_ACT_ALLOW",
            architectures: LinuxSeccomp.knownArchitectures,
            flags: LinuxSeccomp.knownFlags,
            syscalls: LinuxSeccomp.knownActions.map { action in
                LinuxSyscall(names: ["read"], action: action,
                             args: LinuxSeccomp.knownOperators.map { LinuxSeccompArg(index: 0, value: 1, op: $0) })
            }
        )
        XCTAssertNoThrow(try spec.validate())
    }

    // MARK: validation: the rest of linux

    func testIntelRdt() {
        assertInvalid(#"config.json: linux.intelRdt.closID: invalid resctrl group name "..""#) {
            $0.linux?.intelRdt = LinuxIntelRdt(closID: "..")
        }
        assertInvalid(#"config.json: linux.intelRdt.memBwSchema: must start with "MB:", got "L3:0=1""#) {
            $0.linux?.intelRdt = LinuxIntelRdt(memBwSchema: "L3:0=1")
        }
        assertInvalid("config.json: linux.intelRdt.schemata[0]: must not contain newlines") {
            $0.linux?.intelRdt = LinuxIntelRdt(schemata: ["L3:0=1\nMB:0=2"])
        }
    }

    func testMemoryPolicy() {
        assertInvalid(#"config.json: linux.memoryPolicy.mode: unknown memory policy mode "MPOL_FAST""#) {
            $0.linux?.memoryPolicy = LinuxMemoryPolicy(mode: "MPOL_FAST")
        }
        assertInvalid(#"config.json: linux.memoryPolicy.flags[0]: unknown memory policy flag "MPOL_F_X""#) {
            $0.linux?.memoryPolicy = LinuxMemoryPolicy(mode: "MPOL_BIND", nodes: "0", flags: ["MPOL_F_X"])
        }
        assertInvalid("config.json: linux.memoryPolicy.flags: MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES exclude each other") {
            $0.linux?.memoryPolicy = LinuxMemoryPolicy(mode: "MPOL_BIND", nodes: "0", flags: ["MPOL_F_STATIC_NODES", "MPOL_F_RELATIVE_NODES"])
        }
        assertInvalid("config.json: linux.memoryPolicy.nodes: must list at least one node for MPOL_BIND") {
            $0.linux?.memoryPolicy = LinuxMemoryPolicy(mode: "MPOL_BIND")
        }
        assertInvalid("config.json: linux.memoryPolicy.nodes: must be empty for MPOL_LOCAL") {
            $0.linux?.memoryPolicy = LinuxMemoryPolicy(mode: "MPOL_LOCAL", nodes: "0")
        }
        assertInvalid(#"config.json: linux.memoryPolicy.nodes: invalid node list "0-x""#) {
            $0.linux?.memoryPolicy = LinuxMemoryPolicy(mode: "MPOL_PREFERRED", nodes: "0-x")
        }
    }

    func testPersonality() {
        assertInvalid(#"config.json: linux.personality.domain: unknown personality domain "LINUX64""#) {
            $0.linux?.personality = LinuxPersonality(domain: "LINUX64")
        }
    }

    // MARK: helpers

    private enum Base { case runc, rootless }

    /// `change` applied to a valid config makes `validate()` fail with exactly `message`.
    private func assertInvalid(_ message: String, base: Base = .runc, file: StaticString = #filePath, line: UInt = #line,
                               _ change: (inout Spec) -> Void) {
        var spec = base == .runc ? Spec.runcDefault() : Spec.rootlessDefault(uid: 1000, gid: 1000)
        XCTAssertNoThrow(try spec.validate(), "the base config must be valid", file: file, line: line)
        change(&spec)
        assertError(message, file: file, line: line) { try spec.validate() }
    }

    private func assertDecodeError(_ json: String, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        assertError(message, file: file, line: line) { _ = try Spec.decode(Array(json.utf8)) }
    }

    private func assertError(_ message: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            XCTAssertEqual((error as? HullError)?.message, message, file: file, line: line)
        }
    }
}
