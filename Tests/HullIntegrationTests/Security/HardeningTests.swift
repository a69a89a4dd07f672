import Foundation
import Glibc
import XCTest

/// no_new_privs, masked and read-only paths, and one test per class of runtime CVE: each
/// performs the attack and shows that it fails.
final class HardeningTests: LifecycleTestCase {
    func testNoNewPrivileges() throws {
        XCTAssertEqual(try statusOfRunningContainer(["NoNewPrivs"]), ["NoNewPrivs": "1"], "runc spec sets it")
        setProcessField("noNewPrivileges", false)
        XCTAssertEqual(try statusOfRunningContainer(["NoNewPrivs"]), ["NoNewPrivs": "0"])
    }

    func testMaskedAndReadonlyPaths() throws {
        let host = try makeScratchDirectory("masked")
        try "secret\n".write(toFile: host + "/secret", atomically: false, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: host + "/dir/sub", withIntermediateDirectories: true)
        bundle.addBindMount(source: host, destination: "/data")
        bundle.addMount(destination: "/writable", type: "tmpfs", source: "tmpfs")
        bundle.editLinux { linux in
            linux["maskedPaths"] = ["/data/secret", "/data/dir", "/data/missing"]
            linux["readonlyPaths"] = ["/writable"]
        }
        let result = runContainer(["sh", "-c", """
            wc -c < /data/secret; ls -A /data/dir | wc -l; echo x > /data/secret; echo masked-write=$?
            touch /data/dir/new 2>/dev/null; echo masked-dir-write=$?; touch /writable/new 2>/dev/null; echo ro-write=$?
            """])
        XCTAssertEqual(result.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) },
                       ["0", "0", "masked-write=0", "masked-dir-write=1", "ro-write=1"], result.stderr)
        XCTAssertEqual(ProcFS.read(host + "/secret"), "secret\n", "a write to a masked file goes to /dev/null")
    }

    /// CVE-2025-31133 class: a container whose /dev/null is not the null device (here a
    /// symlink to a procfs file) must not get that file bound over a masked path.
    func testMaskingRefusesADevNullThatIsNotTheNullDevice() throws {
        let dev = try makeScratchDirectory("fakedev")
        XCTAssertEqual(symlink("/proc/sys/kernel/core_pattern", dev + "/null"), 0)
        bundle.addBindMount(source: dev, destination: "/dev")
        bundle.editLinux { $0["maskedPaths"] = ["/proc/kcore", "/proc/timer_list"] }
        let id = makeID("devnull")
        bundle.setArgs(["true"])
        let result = hull("run", "--bundle", bundle.path, id)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("/dev/null is not the null device (char 1:3)"), result.stderr)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testMaskingWithTheRealNullDeviceFromAHostDev() throws {
        // A /dev bound from the host holds the real null device: masking works.
        bundle.addBindMount(source: "/dev", destination: "/dev")
        bundle.editLinux { $0["maskedPaths"] = ["/proc/timer_list"] }
        let result = runContainer(["sh", "-c", "wc -c < /proc/timer_list"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "0")
    }

    /// CVE-2024-21626 class: a cwd reached through a host directory fd (/proc/self/fd/N) is
    /// outside the container's root. hull refuses it: the in-root creation of the cwd does not
    /// follow the magic link, and after chdir getcwd() must name a path inside the root.
    func testCwdOutsideTheRootThroughAnFdIsRefused() throws {
        let hostDir = try makeScratchDirectory("hostdir")
        bundle.setCwd("/proc/self/fd/3")
        bundle.setArgs(["touch", "escaped"])
        let id = makeID("cwd")
        let result = ChildProcess.run("/bin/sh", ["-c", "exec 3<\(hostDir); exec \"$0\" \"$@\"", runner.binary,
                                                  "--root", root.path, "run", "--preserve-fds", "1", "--bundle", bundle.path, id])
        XCTAssertEqual(result.status, 1, result.stdout)
        XCTAssertTrue(result.stderr.contains("cwd"), result.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: hostDir), [], "nothing was written on the host")
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    /// CVE-2019-5736 class: until execve the init is hull's own binary (/proc/PID/exe). It is
    /// not dumpable, so a process running as the container's user cannot open it; after
    /// execve (of the container's binary) it is dumpable again.
    func testWaitingInitIsNotDumpable() throws {
        bundle.setArgs(["sleep", "30"])
        bundle.addNamespace("user")
        bundle.editLinux { linux in
            linux["uidMappings"] = [["containerID": 0, "hostID": 100000, "size": 65536]]
            linux["gidMappings"] = [["containerID": 0, "hostID": 100000, "size": 65536]]
        }
        let id = makeID("dumpable")
        let pid = try createContainer(id)
        let openExe = ["/usr/bin/setpriv", "--reuid=100000", "--regid=100000", "--clear-groups",
                       "/bin/busybox", "head", "-c", "4", "/proc/\(pid)/exe"]
        let attack = ChildProcess.run(openExe[0], openExe)
        XCTAssertNotEqual(attack.status, 0, "the container's uid opened hull's binary through /proc/\(pid)/exe")
        XCTAssertTrue(attack.stderr.contains("Permission denied"), attack.stderr)
        XCTAssertEqual(try ownerOf("/proc/\(pid)/status"), 0, "a non-dumpable process's /proc files belong to root")

        XCTAssertEqual(hull("start", id).status, 0)
        waitFor("sleep to run") { ProcFS.commandLine(pid) == ["sleep", "30"] }
        XCTAssertEqual(try ownerOf("/proc/\(pid)/status"), 100000, "dumpable again after execve")
        XCTAssertEqual(hull("delete", "--force", id).status, 0)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    private func ownerOf(_ path: String) throws -> Int {
        try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.ownerAccountID] as? Int)
    }
}
