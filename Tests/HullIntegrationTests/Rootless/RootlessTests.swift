import Foundation
import Glibc
import XCTest

/// hull run by an unprivileged user (issue 9): `spec --rootless` bundles run as they are, the
/// container's root is the caller, state lives under XDG_RUNTIME_DIR, larger mappings go through
/// newuidmap/newgidmap, cgroups follow runc's rootless rules, and nothing of the host's cgroups
/// or /sys becomes writable.
final class RootlessTests: RootlessTestCase {
    func testSpecRootlessRunsAsTheCallerWhoOwnsWhatItCreates() throws {
        bundle.setArgs(["sh", "-c", "id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups; touch /tmp/made"])
        let id = makeID("rl-run")
        let result = asUser("run", "--bundle", bundle.path, id)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(Self.normalizedMap(result.stdout), ["0", "0", "0 \(uid) 1", "0 \(gid) 1", "deny"])
        var info = stat()
        XCTAssertEqual(lstat(bundle.rootfs + "/tmp/made", &info), 0)
        XCTAssertEqual(info.st_uid, uid, "the container's root is the caller on the host")
        XCTAssertEqual(info.st_gid, gid)
        // This host delegates no cgroup to the user: the container runs without one, and says so.
        XCTAssertTrue(result.stderr.contains("rootless container without a cgroup of its own"), result.stderr)
        assertNoLeaks(root: stateRoot, id: id, bundle: bundle.path)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/run/hull/\(id)"))
    }

    func testCreateStartExecKillDeleteWithStateUnderTheRuntimeDirectory() throws {
        bundle.setArgs(["sleep", "1000"])
        let id = makeID("rl-life")
        XCTAssertEqual(asUser("create", "--bundle", bundle.path, id).status, 0)
        var info = stat()
        XCTAssertEqual(lstat(stateRoot + "/\(id)/state.json", &info), 0, "state under XDG_RUNTIME_DIR/hull")
        XCTAssertEqual(info.st_uid, uid)
        XCTAssertEqual(asUser("start", id).status, 0)
        let state = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(asUser("state", id).stdout.utf8)) as? [String: Any])
        XCTAssertEqual(state["status"] as? String, "running")
        XCTAssertEqual(state["owner"] as? String, Self.userName)
        let pid = try XCTUnwrap(state["pid"] as? Int)
        XCTAssertEqual(Self.normalizedMap(try String(contentsOfFile: "/proc/\(pid)/uid_map", encoding: .utf8)), ["0 \(uid) 1"])

        let exec = asUser("exec", id, "sh", "-c", "id -u; cat /proc/1/cmdline")
        XCTAssertEqual(exec.status, 0, exec.stderr)
        XCTAssertEqual(exec.stdout, "0\nsleep\u{0}1000\u{0}")
        for command in [["ps", id], ["pause", id], ["events", "--stats", id], ["update", "--pids-limit", "5", id]] {
            XCTAssertEqual(errorLine(asUser(command)),
                           "\(command[0]): container \(id) has no cgroup of its own (a rootless container without a delegated cgroup)")
        }
        XCTAssertEqual(asUser("kill", id, "KILL").status, 0)
        waitFor("the container to stop") { !ProcFS.isAlive(Int32(pid)) }
        let delete = asUser("delete", id)
        XCTAssertEqual(delete.status, 0, delete.stderr)
        assertNoLeaks(root: stateRoot, id: id, bundle: bundle.path)
    }

    func testSubordinateIDsAreMappedThroughNewuidmap() throws {
        grantSubordinateIDs(start: 300_000, count: 65536)
        bundle.editLinux { linux in
            let mappings: [[String: Any]] = [["containerID": 0, "hostID": Int(self.uid), "size": 1],
                                             ["containerID": 1, "hostID": 300_000, "size": 65536]]
            linux["uidMappings"] = mappings
            linux["gidMappings"] = mappings.enumerated().map { $0.offset == 0 ? ["containerID": 0, "hostID": Int(self.gid), "size": 1] : $0.element }
        }
        bundle.config { config in
            var process = config["process"] as? [String: Any] ?? [:]
            process["capabilities"] = ["bounding": ["CAP_CHOWN"], "effective": ["CAP_CHOWN"], "permitted": ["CAP_CHOWN"]]
            process["user"] = ["uid": 0, "gid": 0, "additionalGids": [5]]
            config["process"] = process
        }
        bundle.setArgs(["sh", "-c", "cat /proc/self/uid_map /proc/self/setgroups; id -G; touch /tmp/owned; chown 1000:1000 /tmp/owned"])
        let id = makeID("rl-subid")
        let result = asUser("run", "--bundle", bundle.path, id)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(Self.normalizedMap(result.stdout), ["0 \(uid) 1", "1 300000 65536", "allow", "0 5"])
        var info = stat()
        XCTAssertEqual(lstat(bundle.rootfs + "/tmp/owned", &info), 0)
        XCTAssertEqual(info.st_uid, 300_999, "container uid 1000 is subordinate uid 300000 + 999")
        XCTAssertEqual(info.st_gid, 300_999)
        assertNoLeaks(root: stateRoot, id: id, bundle: bundle.path)
    }

    func testAMappingTheUserIsNotGrantedFailsNamingTheField() {
        bundle.editLinux { linux in
            linux["uidMappings"] = [["containerID": 0, "hostID": Int(self.uid), "size": 1],
                                    ["containerID": 1, "hostID": 400_000, "size": 10]]
        }
        let id = makeID("rl-notgranted")
        XCTAssertEqual(errorLine(asUser("run", "--bundle", bundle.path, id)),
                       "config.json: linux.uidMappings: newuidmap: uid range [1-11) -> [400000-400010) not allowed")
        assertNoLeaks(root: stateRoot, id: id, bundle: bundle.path)
    }

    func testWhatCannotWorkRootlessIsAOneLineErrorNamingTheField() {
        let cases: [(String, (BusyboxBundle) -> Void, String)] = [
            ("no user namespace", { $0.removeNamespace("user") },
             "config.json: linux.uidMappings: requires a \"user\" entry in linux.namespaces"),
            ("sysfs without a network namespace", { $0.removeMount(destination: "/sys"); $0.addMount(destination: "/sys", type: "sysfs", source: "sysfs") },
             "config.json: mounts[6].type: sysfs cannot be mounted in a rootless container without its own network namespace (bind-mount /sys instead, as `hull spec --rootless` does)"),
            ("an unmapped gid= option", { $0.removeMount(destination: "/dev/mqueue"); $0.addMount(destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: ["gid=5"]) },
             "config.json: mounts[6].options: gid=5: the id is not mapped in the container's user namespace"),
            ("additional groups with only the caller's gid", { $0.setUser(uid: 0, gid: 0, additionalGids: [0]) },
             "config.json: process.user.additionalGids: cannot be set in a rootless container that maps only the caller's gid (map /etc/subgid ranges through newgidmap)"),
            ("limits without a delegated cgroup", { $0.setResource("memory", ["limit": 33_554_432]) },
             "config.json: linux.resources.memory: cannot apply limits in a rootless container: "),
        ]
        let pristine = bundle.configJSON
        for (name, edit, error) in cases {
            bundle.config { $0 = pristine }
            edit(bundle)
            let id = makeID("rl-bad")
            let line = errorLine(asUser("create", "--bundle", bundle.path, id))
            XCTAssertTrue(line.hasPrefix(error), "\(name): \(line)")
            assertNoLeaks(root: stateRoot, id: id, bundle: bundle.path)
        }
    }

    /// CVE-2023-25809: a rootless container must not get write access to a host cgroup, not
    /// even to one the caller owns, and /sys stays read-only all the way down, even for a
    /// container root with CAP_SYS_ADMIN (in its user namespace) that removes the tmpfs hull
    /// puts over /sys/fs/cgroup on a hybrid host. On a cgroup v2 host the container, which has
    /// no cgroup of its own here, sees the host's cgroup2 mount under the /sys rbind: read-only
    /// with the rest of /sys, and locked (its user namespace cannot unmount it).
    func testTheHostsCgroupsAndSysStayReadOnly() throws {
        let owned = try makeOwnedCgroup("hullrl-owned-\(getpid())")
        let limitFile = owned + "/" + (isUnifiedHost ? "cgroup.procs" : "pids.max")
        let before = try String(contentsOfFile: limitFile, encoding: .utf8)
        let inside = "/sys/fs/cgroup" + owned.dropFirst("/sys/fs/cgroup".count)
        bundle.config { config in
            var process = config["process"] as? [String: Any] ?? [:]
            process["capabilities"] = ["bounding": ["CAP_SYS_ADMIN"], "effective": ["CAP_SYS_ADMIN"], "permitted": ["CAP_SYS_ADMIN"]]
            config["process"] = process
        }
        let target = inside + "/" + (isUnifiedHost ? "cgroup.procs" : "pids.max")
        bundle.setArgs(["sh", "-c", """
            umount /sys/fs/cgroup || echo "umount failed"
            for f in \(target) /sys/kernel/mm/ksm/run; do
                if echo 1 > $f; then echo "wrote $f"; fi
            done
            awk '$5 ~ "^/sys" && $6 !~ "(^|,)ro(,|$)" { print "writable mount: " $5 }' /proc/self/mountinfo
            """])
        let id = makeID("rl-cve")
        let result = asUser("run", "--bundle", bundle.path, id)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertFalse(result.stdout.contains("wrote"), result.stdout)
        XCTAssertFalse(result.stdout.contains("writable mount"), result.stdout)
        if !isUnifiedHost {
            XCTAssertFalse(result.stdout.contains("umount failed"), "the tmpfs is the container's own: \(result.stdout)")
        }
        XCTAssertEqual(try String(contentsOfFile: limitFile, encoding: .utf8), before)
        assertNoLeaks(root: stateRoot, id: id, bundle: bundle.path)
    }

    /// A cgroup subtree delegated to the user (its directories and their files owned by it, the
    /// caller itself inside it): the container's cgroup is made there and gets the limits.
    /// Runs on this hybrid host and in the cgroup v2 guest (make test-cgroupv2).
    func testADelegatedCgroupGetsTheLimits() throws {
        let name = "hullrl-deleg-\(getpid())"
        var callerDirs: [String] = []
        var limitDirs: [String] = []
        for hierarchy in cgroupHierarchies() {
            let delegated = try makeOwnedCgroup(name, in: hierarchy)
            callerDirs.append(try makeOwnedCgroup(name + "/caller", in: hierarchy))
            limitDirs.append(delegated + "/ctr")
        }
        if isUnifiedHost {
            // The host enables what it delegates: memory and pids below its root.
            XCTAssertEqual(CgroupFiles.write("+memory +pids", to: "/sys/fs/cgroup/cgroup.subtree_control"), 0)
        }
        bundle.setCgroupsPath("/\(name)/ctr")
        bundle.setResource("memory", ["limit": 33_554_432])
        bundle.setResource("pids", ["limit": 42])
        bundle.setArgs(["sleep", "1000"])
        let id = makeID("rl-deleg")
        // As in a delegated session, the caller already runs inside the subtree.
        let join = callerDirs.map { "echo $$ > \($0)/cgroup.procs" }.joined(separator: " && ")
        let create = asUser(["create", "--bundle", bundle.path, id], wrappedIn: ["/bin/sh", "-c", join + " && exec \"$@\"", "sh"])
        XCTAssertEqual(create.status, 0, create.stderr)
        XCTAssertEqual(create.stderr, "", "no warning: the container has its own cgroup")
        let memory = try XCTUnwrap(limitDirs.first { isUnifiedHost || $0.hasPrefix("/sys/fs/cgroup/memory/") })
        let pids = try XCTUnwrap(limitDirs.first { isUnifiedHost || $0.hasPrefix("/sys/fs/cgroup/pids/") })
        XCTAssertEqual(try CgroupFiles.read(memory + (isUnifiedHost ? "/memory.max" : "/memory.limit_in_bytes")), "33554432")
        XCTAssertEqual(try CgroupFiles.read(pids + "/pids.max"), "42")
        let state = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(asUser("state", id).stdout.utf8)) as? [String: Any])
        let pid = try XCTUnwrap(state["pid"] as? Int)
        XCTAssertTrue(try CgroupFiles.read(pids + "/cgroup.procs").split(separator: "\n").contains(Substring("\(pid)")))
        let update = asUser("update", "--pids-limit", "50", id)
        XCTAssertEqual(update.status, 0, update.stderr)
        XCTAssertEqual(try CgroupFiles.read(pids + "/pids.max"), "50")
        XCTAssertEqual(asUser("delete", "--force", id).status, 0)
        for dir in limitDirs { XCTAssertFalse(FileManager.default.fileExists(atPath: dir), "\(dir) removed") }
        assertNoLeaks(root: stateRoot, id: id, bundle: bundle.path)
    }

    func testRootlessFlagAndSpecRootless() throws {
        let spec = try makeScratchDirectory("rl-spec")
        XCTAssertEqual(hull("--rootless", "true", "spec", "--rootless", "--bundle", spec).status, 0)
        let config = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: spec + "/config.json"))) as? [String: Any])
        let linux = try XCTUnwrap(config["linux"] as? [String: Any])
        XCTAssertEqual((linux["uidMappings"] as? [[String: Any]])?.first?["hostID"] as? Int, 0, "the caller's uid (root here)")
        XCTAssertNil(linux["resources"])
        let bogus = hull("--rootless", "maybe", "list")
        XCTAssertEqual(bogus.status, 1)
        XCTAssertEqual(bogus.stderr, "--rootless: invalid value \"maybe\" (expected auto, true or false)\n")
    }

    // MARK: helpers

    private var isUnifiedHost: Bool {
        !FileManager.default.fileExists(atPath: "/sys/fs/cgroup/memory")
            && FileManager.default.fileExists(atPath: "/sys/fs/cgroup/cgroup.controllers")
    }

    /// The mount point of every cgroup hierarchy: /sys/fs/cgroup on a pure v2 host, each
    /// v1 controller's (and unified) on a hybrid one.
    private func cgroupHierarchies() -> [String] {
        isUnifiedHost ? ["/sys/fs/cgroup"] : MountTable.mountPoints(under: "/sys/fs/cgroup").filter { $0 != "/sys/fs/cgroup" }
    }

    /// Makes `name` in `hierarchy` (the pids one, or the v2 root, by default), owned by the
    /// test user as a delegated cgroup is; removed after the test.
    private func makeOwnedCgroup(_ name: String, in hierarchy: String? = nil) throws -> String {
        let base = hierarchy ?? (isUnifiedHost ? "/sys/fs/cgroup" : "/sys/fs/cgroup/pids")
        let dir = base + "/" + name
        guard mkdir(dir, 0o755) == 0 || errno == EEXIST else { throw HarnessError("mkdir \(dir): \(String(cString: strerror(errno)))") }
        addTeardownBlock { _ = rmdir(dir) }
        // A v1 cpuset takes no task before its cpus and mems are set; a v2 one inherits them.
        for file in ["cpuset.cpus", "cpuset.mems"] where !isUnifiedHost && FileManager.default.fileExists(atPath: dir + "/" + file) {
            _ = CgroupFiles.write(try CgroupFiles.read(Path.parent(dir) + "/" + file), to: dir + "/" + file)
        }
        for path in [dir] + ["cgroup.procs", "cgroup.threads", "cgroup.subtree_control", "tasks"].map({ dir + "/" + $0 })
            where FileManager.default.fileExists(atPath: path) {
            XCTAssertEqual(Glibc.chown(path, uid, gid), 0, path)
        }
        return dir
    }
}

/// Reading and writing cgroup files as root, for the tests' own setup.
enum CgroupFiles {
    static func read(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// One write(2); 0 or the errno.
    static func write(_ text: String, to path: String) -> Int32 {
        let fd = open(path, O_WRONLY)
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        return Glibc.write(fd, text, text.utf8.count) == text.utf8.count ? 0 : errno
    }
}

private enum Path {
    static func parent(_ path: String) -> String {
        String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
    }
}
