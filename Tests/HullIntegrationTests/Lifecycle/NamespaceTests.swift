import Foundation
import Glibc
import XCTest

/// The namespaces of config.json, seen from the host through /proc/PID/ns of the container's init.
final class NamespaceTests: LifecycleTestCase {
    /// The inode of the namespace file at `path` (following the nsfs magic link).
    private func inode(_ path: String) -> UInt? {
        var info = stat()
        return stat(path, &info) == 0 ? UInt(info.st_ino) : nil
    }

    func testNewNamespacesDifferFromTheHosts() throws {
        bundle.setArgs(["sleep", "30"])
        bundle.addNamespace("cgroup")
        let id = makeID("ns")
        let pid = try createContainer(id)
        for kind in ["pid", "net", "ipc", "uts", "mnt", "cgroup"] {
            let container = ProcFS.namespace(kind, of: String(pid))
            XCTAssertNotNil(container, kind)
            XCTAssertNotEqual(container, ProcFS.namespace(kind, of: "self"), "\(kind) namespace is new")
        }
        for kind in ["user", "time"] {
            XCTAssertEqual(ProcFS.namespace(kind, of: String(pid)), ProcFS.namespace(kind, of: "self"),
                           "\(kind) namespace is not in the config: shared with the host")
        }
        XCTAssertEqual(hull("delete", id).status, 0)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    /// The cgroup namespace is created after the init joined its cgroup, so that cgroup is the
    /// namespace's root: /proc/self/cgroup shows "/" in every hierarchy (as with runc).
    func testCgroupNamespaceRootIsTheContainersCgroup() {
        bundle.addNamespace("cgroup")
        let result = runContainer(["cat", "/proc/self/cgroup"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n")
        XCTAssertFalse(lines.isEmpty)
        for line in lines {
            XCTAssertEqual(line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).last, "/",
                           "cgroup namespace root: \(line)")
        }
    }

    func testLeftOutNamespacesAreTheHosts() throws {
        bundle.setArgs(["sleep", "30"])
        for type in ["network", "ipc", "uts"] { bundle.removeNamespace(type) }
        bundle.setHostname(nil)
        let id = makeID("hostns")
        let pid = try createContainer(id)
        for kind in ["net", "ipc", "uts"] {
            XCTAssertEqual(ProcFS.namespace(kind, of: String(pid)), ProcFS.namespace(kind, of: "self"), kind)
        }
        XCTAssertNotEqual(ProcFS.namespace("mnt", of: String(pid)), ProcFS.namespace("mnt", of: "self"))
        XCTAssertEqual(hull("delete", id).status, 0)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testPidNamespaceMakesTheProcessPid1() {
        let result = runContainer(["sh", "-c", "echo $$; ps -o pid,comm | tail -n +2 | wc -l"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout.split(separator: "\n").first, "1")
    }

    func testUserNamespaceWithMappings() throws {
        bundle.setArgs(["sleep", "30"])
        bundle.addNamespace("user")
        bundle.editLinux { linux in
            linux["uidMappings"] = [["containerID": 0, "hostID": 100000, "size": 65536]]
            linux["gidMappings"] = [["containerID": 0, "hostID": 200000, "size": 65536]]
        }
        let id = makeID("userns")
        let pid = try createContainer(id)
        XCTAssertNotEqual(ProcFS.namespace("user", of: String(pid)), ProcFS.namespace("user", of: "self"))
        let words = { (text: String?) in text?.split(whereSeparator: \.isWhitespace).map(String.init) }
        XCTAssertEqual(words(ProcFS.read("/proc/\(pid)/uid_map")), ["0", "100000", "65536"])
        XCTAssertEqual(words(ProcFS.read("/proc/\(pid)/gid_map")), ["0", "200000", "65536"])

        XCTAssertEqual(hull("start", id).status, 0)
        waitFor("sleep to run") { ProcFS.commandLine(pid) == ["sleep", "30"] }
        XCTAssertEqual(words(ProcFS.statusField(pid: pid, "Uid")), ["100000", "100000", "100000", "100000"],
                       "container root is host uid 100000")
        XCTAssertEqual(words(ProcFS.statusField(pid: pid, "Gid")), ["200000", "200000", "200000", "200000"])
        XCTAssertEqual(hull("delete", "--force", id).status, 0)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testUserNamespaceProcessSeesItselfAsRoot() {
        bundle.addNamespace("user")
        bundle.editLinux { linux in
            linux["uidMappings"] = [["containerID": 0, "hostID": 100000, "size": 65536]]
            linux["gidMappings"] = [["containerID": 0, "hostID": 100000, "size": 65536]]
        }
        let result = runContainer(["sh", "-c", "id -u; id -g; cat /proc/self/uid_map; ls -ln /bin/busybox"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.prefix(2), ["0", "0"])
        XCTAssertEqual(lines.dropFirst(2).first?.split(separator: " ").map(String.init), ["0", "100000", "65536"])
        // The rootfs is owned by host root, which is unmapped here: the overflow id 65534.
        XCTAssertEqual(lines.last?.split(separator: " ").dropFirst(2).prefix(2).map(String.init), ["65534", "65534"],
                       lines.last ?? "")
    }

    func testUserNamespaceWithoutMappingsFails() {
        bundle.addNamespace("user")
        let id = makeID("nomap")
        let result = hull("create", "--bundle", bundle.path, id)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("uidMappings"), result.stderr)
        XCTAssertEqual(result.stderr.filter { $0 == "\n" }.count, 1, "one line: \(result.stderr)")
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testJoiningANetworkNamespaceByPath() throws {
        let name = "hullt-\(getpid())-\(UInt16.random(in: 0...UInt16.max))"
        let added = try HostCommand.run("ip", ["netns", "add", name])
        XCTAssertEqual(added.status, 0, added.stderr)
        defer { _ = try? HostCommand.run("ip", ["netns", "delete", name]) }
        let path = "/run/netns/" + name

        bundle.setArgs(["sleep", "30"])
        bundle.addNamespace("network", path: path)
        let id = makeID("joinnet")
        let pid = try createContainer(id)
        let joined = try XCTUnwrap(inode("/proc/\(pid)/ns/net"))
        XCTAssertEqual(joined, inode(path), "the container is in the named network namespace")
        XCTAssertNotEqual(joined, inode("/proc/self/ns/net"))
        XCTAssertEqual(hull("delete", id).status, 0)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
        XCTAssertEqual(inode(path), joined, "the joined namespace outlives the container")
    }

    func testJoiningAnotherContainersNamespacesThroughProc() throws {
        bundle.setArgs(["sleep", "30"])
        let firstID = makeID("owner")
        let first = try createContainer(firstID)

        let joiner = try BusyboxBundle(args: ["sleep", "30"])
        defer { joiner.remove() }
        joiner.addNamespace("ipc", path: "/proc/\(first)/ns/ipc")
        joiner.addNamespace("uts", path: "/proc/\(first)/ns/uts")
        joiner.setHostname(nil)
        let secondID = makeID("joiner")
        let pidFile = try makeScratchDirectory("pid") + "/pid"
        let created = hull("create", "--bundle", joiner.path, "--pid-file", pidFile, secondID)
        XCTAssertEqual(created.status, 0, created.stderr)
        let second = try XCTUnwrap(Int32(String(contentsOfFile: pidFile, encoding: .utf8)))
        for kind in ["ipc", "uts"] {
            XCTAssertEqual(ProcFS.namespace(kind, of: String(second)), ProcFS.namespace(kind, of: String(first)), kind)
        }
        for kind in ["net", "mnt", "pid"] {
            XCTAssertNotEqual(ProcFS.namespace(kind, of: String(second)), ProcFS.namespace(kind, of: String(first)), kind)
        }
        XCTAssertEqual(hull("delete", secondID).status, 0)
        XCTAssertEqual(hull("delete", firstID).status, 0)
        assertNoLeaks(root: root.path, id: secondID, bundle: joiner.path)
        assertNoLeaks(root: root.path, id: firstID, bundle: bundle.path)
    }

    func testJoiningAPathThatIsNotANamespaceFails() {
        bundle.addNamespace("network", path: bundle.configPath)
        let id = makeID("notns")
        let result = hull("create", "--bundle", bundle.path, id)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains(bundle.configPath), "the error names the path: \(result.stderr)")
        XCTAssertEqual(result.stderr.filter { $0 == "\n" }.count, 1, "one line: \(result.stderr)")
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testJoiningANamespaceOfTheWrongTypeFails() {
        bundle.addNamespace("network", path: "/proc/self/ns/uts")
        let id = makeID("wrongns")
        let result = hull("create", "--bundle", bundle.path, id)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("/proc/self/ns/uts"), result.stderr)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testJoiningAMissingPathFails() {
        let missing = bundle.path + "/no-such-netns"
        bundle.addNamespace("network", path: missing)
        let id = makeID("missingns")
        let result = hull("create", "--bundle", bundle.path, id)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains(missing), result.stderr)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testTimeNamespaceWithOffsets() throws {
        bundle.setArgs(["sleep", "30"])
        bundle.addNamespace("time")
        bundle.editLinux { linux in
            linux["timeOffsets"] = ["monotonic": ["secs": 86400, "nanosecs": 0],
                                    "boottime": ["secs": 172800, "nanosecs": 5]]
        }
        let id = makeID("timens")
        let pid = try createContainer(id)
        XCTAssertNotEqual(ProcFS.namespace("time", of: String(pid)), ProcFS.namespace("time", of: "self"))
        let offsets = ProcFS.read("/proc/\(pid)/timens_offsets")?.split(separator: "\n")
            .map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        XCTAssertEqual(offsets.map(Set.init), ["monotonic 86400 0", "boottime 172800 5"])
        XCTAssertEqual(hull("delete", id).status, 0)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testTimeNamespaceShiftsUptimeInside() throws {
        bundle.addNamespace("time")
        bundle.editLinux { $0["timeOffsets"] = ["boottime": ["secs": 1_000_000]] }
        let hostUptime = try XCTUnwrap(ProcFS.read("/proc/uptime")?.split(separator: " ").first.flatMap { Double($0) })
        let result = runContainer(["cat", "/proc/uptime"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let inside = try XCTUnwrap(result.stdout.split(separator: " ").first.flatMap { Double($0) }, result.stdout)
        XCTAssertGreaterThanOrEqual(inside, hostUptime + 1_000_000)
        XCTAssertLessThan(inside, hostUptime + 1_000_000 + 60)
    }
}
