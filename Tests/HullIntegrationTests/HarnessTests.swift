import Foundation
import Glibc
import XCTest

/// Checks the test harness itself: the bundle is runnable, its config is runc's default, the edits
/// do what they say, and the leak queries see real mounts, cgroups and processes.
final class HarnessTests: XCTestCase {
    func testBundleRootfsRunsBusyboxShell() throws {
        let bundle = try BusyboxBundle()
        let result = try HostCommand.run("chroot", [bundle.rootfs, "/bin/sh", "-c", "echo ok; id -u; ls /"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "ok")
        XCTAssertEqual(lines.dropFirst().first, "0")
        XCTAssertEqual(Set(lines.dropFirst(2)),
                       ["bin", "dev", "etc", "proc", "root", "sys", "tmp", "usr"])
    }

    func testBundleHasTheAppletsTestsUse() throws {
        let bundle = try BusyboxBundle()
        for applet in ["sh", "true", "false", "echo", "cat", "ls", "id", "hostname", "sleep", "mount", "ps",
                       "env", "pwd", "grep", "head", "wc", "test", "stat", "touch", "mkdir", "readlink", "kill"] {
            let link = try FileManager.default.destinationOfSymbolicLink(atPath: bundle.rootfs + "/bin/" + applet)
            XCTAssertEqual(link, "busybox", applet)
        }
        let env = try HostCommand.run("chroot", [bundle.rootfs, "/usr/bin/env", "true"])
        XCTAssertEqual(env.status, 0, env.stderr)
    }

    func testBundleUsersResolveThroughEtcPasswd() throws {
        let bundle = try BusyboxBundle()
        let nobody = try HostCommand.run("chroot", [bundle.rootfs, "/bin/id", "nobody"])
        XCTAssertEqual(nobody.status, 0, nobody.stderr)
        XCTAssertEqual(nobody.stdout, "uid=65534(nobody) gid=65534(nobody) groups=65534(nobody)\n")
        let asNobody = try HostCommand.run("chroot", ["--userspec=65534:65534", bundle.rootfs, "/bin/id", "-un"])
        XCTAssertEqual(asNobody.stdout, "nobody\n", asNobody.stderr)
    }

    func testDefaultConfigIsRuncSpecWithoutTerminalRunningTrue() throws {
        let scratch = try TempDirectory.make(prefix: "hull-runc-spec-")
        defer { TempDirectory.remove(scratch) }
        let spec = try HostCommand.run("runc", ["spec", "--bundle", scratch])
        XCTAssertEqual(spec.status, 0, spec.stderr)
        let data = try XCTUnwrap(FileManager.default.contents(atPath: scratch + "/config.json"))
        var expected = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var process = try XCTUnwrap(expected["process"] as? [String: Any])
        process["terminal"] = false
        process["args"] = ["true"]
        expected["process"] = process

        let bundle = try BusyboxBundle()
        XCTAssertEqual(NSDictionary(dictionary: bundle.configJSON), NSDictionary(dictionary: expected))
        XCTAssertEqual(NSDictionary(dictionary: BusyboxBundle.defaultConfig()), NSDictionary(dictionary: expected))
    }

    func testConfigFileIsJSONWithTheExpectedKeys() throws {
        let bundle = try BusyboxBundle(args: ["sh", "-c", "exit 3"])
        let data = try XCTUnwrap(FileManager.default.contents(atPath: bundle.configPath))
        let config = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(Set(config.keys), ["ociVersion", "process", "root", "hostname", "mounts", "linux"])
        let process = try XCTUnwrap(config["process"] as? [String: Any])
        XCTAssertEqual(process["args"] as? [String], ["sh", "-c", "exit 3"])
        XCTAssertEqual(process["terminal"] as? Bool, false)
        XCTAssertEqual((config["root"] as? [String: Any])?["path"] as? String, "rootfs")
        // Written without escaped slashes, so a test (or a person) can grep it.
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(text.contains("\"/dev/pts\""), text)
    }

    func testConfigEditsLandInConfigJSON() throws {
        let bundle = try BusyboxBundle()
        bundle.setArgs(["sleep", "5"])
        bundle.setEnv(["PATH=/bin"])
        bundle.addEnv("GREETING=hi")
        bundle.setCwd("/tmp")
        bundle.setHostname("box")
        bundle.setUser(uid: 65534, gid: 65534, additionalGids: [0])
        bundle.setReadonlyRoot(false)
        bundle.removeNamespace("network")
        bundle.addNamespace("cgroup")
        bundle.addMount(destination: "/data", type: "tmpfs", source: "tmpfs", options: ["size=1m"])
        bundle.addBindMount(source: "/etc", destination: "/host-etc", extraOptions: ["ro"])
        bundle.removeMount(destination: "/dev/mqueue")
        bundle.setResource("pids", ["limit": 32])
        bundle.setCgroupsPath("/hull-test/box")

        let config = bundle.configJSON
        let process = try XCTUnwrap(config["process"] as? [String: Any])
        XCTAssertEqual(process["args"] as? [String], ["sleep", "5"])
        XCTAssertEqual(process["env"] as? [String], ["PATH=/bin", "GREETING=hi"])
        XCTAssertEqual(process["cwd"] as? String, "/tmp")
        let user = try XCTUnwrap(process["user"] as? [String: Any])
        XCTAssertEqual(user["uid"] as? Int, 65534)
        XCTAssertEqual(user["additionalGids"] as? [Int], [0])
        XCTAssertEqual(config["hostname"] as? String, "box")
        XCTAssertEqual((config["root"] as? [String: Any])?["readonly"] as? Bool, false)

        let linux = try XCTUnwrap(config["linux"] as? [String: Any])
        let namespaces = (linux["namespaces"] as? [[String: Any]] ?? []).compactMap { $0["type"] as? String }
        XCTAssertEqual(namespaces, ["pid", "ipc", "uts", "mount", "cgroup"])
        XCTAssertEqual(linux["cgroupsPath"] as? String, "/hull-test/box")
        let resources = try XCTUnwrap(linux["resources"] as? [String: Any])
        XCTAssertEqual((resources["pids"] as? [String: Any])?["limit"] as? Int, 32)
        XCTAssertNotNil(resources["devices"], "setResource keeps the other resources")

        let mounts = try XCTUnwrap(config["mounts"] as? [[String: Any]])
        let destinations = mounts.compactMap { $0["destination"] as? String }
        XCTAssertEqual(destinations.suffix(2), ["/data", "/host-etc"])
        XCTAssertFalse(destinations.contains("/dev/mqueue"))
        XCTAssertEqual(mounts.last?["options"] as? [String], ["rbind", "ro"])

        bundle.setHostname(nil)
        XCTAssertNil(bundle.configJSON["hostname"])
        bundle.config { $0["ociVersion"] = "1.2.0" }
        XCTAssertEqual(bundle.configJSON["ociVersion"] as? String, "1.2.0")
        bundle.writeRawConfig("{not json")
        XCTAssertEqual(String(decoding: try XCTUnwrap(FileManager.default.contents(atPath: bundle.configPath)),
                              as: UTF8.self), "{not json")
    }

    func testRemoveDeletesTheBundleEvenWithAMountLeftInside() throws {
        let bundle = try BusyboxBundle()
        let mounted = try HostCommand.run("mount", ["-t", "tmpfs", "tmpfs", bundle.rootfs + "/tmp"])
        XCTAssertEqual(mounted.status, 0, mounted.stderr)
        XCTAssertEqual(MountTable.mountPoints(under: bundle.path), [bundle.rootfs + "/tmp"])
        bundle.remove()
        XCTAssertFalse(FileManager.default.fileExists(atPath: bundle.path))
        assertNoMounts(under: bundle.path)
        bundle.remove()
    }

    func testTempRootIsAPrivateDirectoryRemovedAfterwards() throws {
        var path = ""
        do {
            let root = try TempRoot()
            path = root.path
            var info = stat()
            XCTAssertEqual(stat(root.path, &info), 0)
            XCTAssertEqual(info.st_mode & 0o777, 0o700)
            try FileManager.default.createDirectory(atPath: root.stateDir(of: "abc"), withIntermediateDirectories: false)
            XCTAssertTrue(FileManager.default.fileExists(atPath: root.path + "/abc"))
        }
        XCTAssertFalse(path.isEmpty)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "released TempRoot is deleted")
    }

    func testStateDirQuerySeesAStateDirectory() throws {
        let root = try TempRoot()
        try FileManager.default.createDirectory(atPath: root.stateDir(of: "box"), withIntermediateDirectories: false)
        XCTAssertTrue(FileManager.default.fileExists(atPath: root.stateDir(of: "box")))
        try FileManager.default.removeItem(atPath: root.stateDir(of: "box"))
        assertNoStateDir(root: root.path, id: "box")
    }

    func testMountQuerySeesAMountAndItsEscapedName() throws {
        let scratch = try TempDirectory.make(prefix: "hull-mounts-")
        defer { TempDirectory.remove(scratch) }
        let target = scratch + "/with space"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        let mounted = try HostCommand.run("mount", ["-t", "tmpfs", "tmpfs", target])
        XCTAssertEqual(mounted.status, 0, mounted.stderr)
        XCTAssertEqual(MountTable.mountPoints(under: scratch), [target])
        XCTAssertEqual(umount(target), 0)
        assertNoMounts(under: scratch)
    }

    func testCgroupQuerySeesACgroupDirectory() throws {
        let name = "hull-harness-selftest-\(getpid())"
        let hierarchy = try XCTUnwrap(
            ["/sys/fs/cgroup/pids", "/sys/fs/cgroup/unified", "/sys/fs/cgroup"].first {
                FileManager.default.fileExists(atPath: $0 + "/cgroup.procs")
            })
        let group = hierarchy + "/" + name + "/nested"
        XCTAssertEqual(mkdir(hierarchy + "/" + name, 0o755), 0)
        XCTAssertEqual(mkdir(group, 0o755), 0)
        defer {
            rmdir(group)
            rmdir(hierarchy + "/" + name)
        }
        XCTAssertEqual(HostLeaks.cgroups(containing: name), [hierarchy + "/" + name])
        XCTAssertEqual(HostLeaks.cgroups(containing: "nested").filter { $0.hasPrefix(hierarchy + "/" + name) },
                       [group])
        XCTAssertEqual(rmdir(group), 0)
        XCTAssertEqual(rmdir(hierarchy + "/" + name), 0)
        assertNoCgroup(named: name)
    }

    func testProcessQuerySeesARunningProcessUntilItDies() throws {
        let marker = "hull-harness-marker-\(getpid())"
        let sleeper = Process()
        // One process whose argv[0] is the marker (a shell running `sleep` would fork a second one).
        sleeper.executableURL = URL(fileURLWithPath: "/bin/bash")
        sleeper.arguments = ["-c", "exec -a \(marker) sleep 30"]
        try sleeper.run()
        var found: [(pid: Int32, commandLine: String)] = []
        for _ in 0..<100 where found.isEmpty {
            found = HostLeaks.processes(withArgsContaining: marker)
            if found.isEmpty { usleep(10_000) }
        }
        XCTAssertEqual(found.map(\.pid), [sleeper.processIdentifier])
        sleeper.terminate()
        sleeper.waitUntilExit()
        assertNoProcess(withArgsContaining: marker)
    }
}
