import Foundation
import Glibc
import XCTest

/// The container's file system: its mount table, bind and tmpfs mounts, the read-only root,
/// devices and /dev symlinks, and mount destinations that try to leave the rootfs.
final class RootfsTests: LifecycleTestCase {
    /// One line of /proc/self/mountinfo.
    private struct MountEntry {
        let mountPoint: String
        let options: Set<String>
        let type: String
        let superOptions: Set<String>
    }

    /// Parses mountinfo text: "36 35 98:0 /root /mnt rw,noatime shared:1 - ext3 /dev/root rw,errors=continue".
    private func parseMountinfo(_ text: String) -> [MountEntry] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ").map(String.init)
            guard let dash = fields.firstIndex(of: "-"), dash >= 6, fields.count >= dash + 3 else { return nil }
            return MountEntry(mountPoint: MountTable.unescape(fields[4]),
                              options: Set(fields[5].split(separator: ",").map(String.init)),
                              type: fields[dash + 1],
                              superOptions: Set(fields[dash + 3].split(separator: ",").map(String.init)))
        }
    }

    /// The container's mount table, read by `cat /proc/self/mountinfo` inside it.
    private func containerMounts(flags: [String] = [], file: StaticString = #filePath, line: UInt = #line) -> [MountEntry] {
        let result = runContainer(["cat", "/proc/self/mountinfo"], flags: flags, file: file, line: line)
        XCTAssertEqual(result.status, 0, result.stderr, file: file, line: line)
        return parseMountinfo(result.stdout)
    }

    // MARK: mount table

    func testDefaultMountTable() throws {
        let mounts = containerMounts()
        let byPoint = Dictionary(mounts.map { ($0.mountPoint, $0) }, uniquingKeysWith: { _, last in last })
        let expected = ["/": nil, "/proc": "proc", "/dev": "tmpfs", "/dev/pts": "devpts", "/dev/shm": "tmpfs",
                        "/dev/mqueue": "mqueue", "/sys": "sysfs"] as [String: String?]
        for (point, type) in expected {
            let entry = try XCTUnwrap(byPoint[point], "\(point) is mounted: \(mounts.map(\.mountPoint))")
            if let type { XCTAssertEqual(entry.type, type, point) }
        }
        XCTAssertTrue(mounts.contains { $0.mountPoint == "/sys/fs/cgroup" || $0.mountPoint.hasPrefix("/sys/fs/cgroup/") },
                      "the cgroup mount is there")
        XCTAssertTrue(byPoint["/"]?.options.contains("ro") ?? false, "root.readonly")
        XCTAssertTrue(byPoint["/sys"]?.options.contains("ro") ?? false)
        XCTAssertEqual(byPoint["/dev"]?.superOptions.contains("mode=755"), true)
        XCTAssertEqual(byPoint["/dev/shm"]?.options.isSuperset(of: ["nosuid", "noexec", "nodev"]), true)
        XCTAssertEqual(byPoint["/dev/pts"]?.superOptions.contains("ptmxmode=666"), true)
        XCTAssertFalse(mounts.contains { $0.mountPoint.hasPrefix(bundle.path) || $0.mountPoint.hasPrefix("/tmp/hull-") },
                       "no host path is visible: the old root is gone")
        // Masked and read-only paths (of those this kernel has: no /proc/kcore or /proc/sysrq-trigger here).
        XCTAssertNotNil(byPoint["/proc/keys"], "a masked file gets /dev/null bound over it")
        XCTAssertNotNil(byPoint["/proc/timer_list"])
        XCTAssertEqual(byPoint["/sys/firmware"]?.type, "tmpfs", "a masked directory gets an empty tmpfs")
        XCTAssertEqual(byPoint["/sys/firmware"]?.options.contains("ro"), true)
        for path in ["/proc/sys", "/proc/bus", "/proc/fs", "/proc/irq"] {
            XCTAssertEqual(byPoint[path]?.options.contains("ro"), true, "read-only path \(path)")
        }
        XCTAssertNil(byPoint["/proc/kcore"], "a masked path the kernel lacks is skipped")
    }

    func testMaskedPathsAreEmptyInside() {
        let result = runContainer(["sh", "-c", "wc -c < /proc/keys; wc -c < /proc/timer_list; ls -A /sys/firmware | wc -l; echo x > /proc/sys/kernel/domainname; echo rc=$?"])
        XCTAssertEqual(result.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) },
                       ["0", "0", "0", "rc=1"], result.stderr)
    }

    // MARK: bind and tmpfs mounts

    func testReadOnlyBindMountOfAHostDirectory() throws {
        let host = try makeScratchDirectory("bindro")
        try "hello\n".write(toFile: host + "/greeting", atomically: false, encoding: .utf8)
        bundle.addBindMount(source: host, destination: "/data", extraOptions: ["ro"])
        let result = runContainer(["sh", "-c", "cat /data/greeting; touch /data/new 2>&1; echo rc=$?"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "hello")
        XCTAssertTrue(lines.dropFirst().first?.contains("Read-only file system") ?? false, result.stdout)
        XCTAssertEqual(lines.last, "rc=1")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: host), ["greeting"], "host dir untouched")
        assertNoMounts(under: host)
    }

    func testReadWriteBindMountWritesThroughToTheHost() throws {
        let host = try makeScratchDirectory("bindrw")
        bundle.addBindMount(source: host, destination: "/data")
        let result = runContainer(["sh", "-c", "echo written > /data/out"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(ProcFS.read(host + "/out"), "written\n")
        assertNoMounts(under: host)
    }

    /// docker puts "rprivate" on every -v and --tmpfs mount; the destinations do not exist in the
    /// image, so hull creates them (a nested one opens more fds) before it sets the propagation.
    func testPropagationOptionOnNewNestedDestinations() throws {
        let host = try makeScratchDirectory("bindprop")
        bundle.addBindMount(source: host, destination: "/new/deeper/data", extraOptions: ["rprivate"])
        bundle.addMount(destination: "/fresh/scratch", type: "tmpfs", source: "tmpfs", options: ["nosuid", "rprivate"])
        let result = runContainer(["sh", "-c", "echo written > /new/deeper/data/out && touch /fresh/scratch/f && echo ok"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "ok\n")
        XCTAssertEqual(ProcFS.read(host + "/out"), "written\n")
        assertNoMounts(under: host)
    }

    /// runc's tmpcopyup: the tmpfs starts with the covered directory's tree (files, a nested
    /// directory, a symlink kept as a symlink, owners and modes), and is a tmpfs.
    func testTmpcopyupCopiesTheCoveredDirectory() throws {
        let data = bundle.rootfs + "/data"
        try FileManager.default.createDirectory(atPath: data + "/sub", withIntermediateDirectories: true)
        try "top\n".write(toFile: data + "/f", atomically: false, encoding: .utf8)
        try "nested\n".write(toFile: data + "/sub/g", atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: data + "/link", withDestinationPath: "/etc/passwd")
        XCTAssertEqual(chown(data + "/sub/g", 1000, 1001), 0)
        XCTAssertEqual(chmod(data + "/sub", 0o750), 0)
        bundle.addMount(destination: "/data", type: "tmpfs", source: "tmpfs", options: ["nosuid", "tmpcopyup"])
        let result = runContainer(["sh", "-c", """
            cat /data/f /data/sub/g; readlink /data/link; stat -c '%u:%g %a' /data/sub/g /data/sub;             grep ' /data ' /proc/mounts | cut -d' ' -f3; echo new > /data/f && cat /data/f
            """])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout.split(separator: "\n").map(String.init),
                       ["top", "nested", "/etc/passwd", "1000:1001 644", "0:0 750", "tmpfs", "new"])
        XCTAssertEqual(ProcFS.read(data + "/f"), "top\n", "the rootfs's own file is untouched")
    }

    func testBindMountOfAFileAndARelativeSource() throws {
        try "one file\n".write(toFile: bundle.path + "/note.txt", atomically: false, encoding: .utf8)
        // A relative bind source is relative to the bundle (runtime-spec config.md "Mounts").
        bundle.addMount(destination: "/etc/note.txt", type: "bind", source: "note.txt", options: ["bind", "ro"])
        let result = runContainer(["cat", "/etc/note.txt"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "one file\n")
    }

    func testTmpfsWithOptions() {
        bundle.addMount(destination: "/scratch", type: "tmpfs", source: "tmpfs",
                        options: ["nosuid", "nodev", "noexec", "size=1m", "mode=1770"])
        bundle.addMount(destination: "/scratch/inner", type: "tmpfs", source: "tmpfs", options: ["size=512k"])
        let result = runContainer(["sh", "-c", "stat -c %a /scratch; echo data > /scratch/f && cat /scratch/f; grep ' /scratch' /proc/self/mountinfo"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.prefix(2), ["1770", "data"])
        let mounts = parseMountinfo(lines.dropFirst(2).joined(separator: "\n"))
        XCTAssertEqual(mounts.map(\.mountPoint), ["/scratch", "/scratch/inner"], "mounted in config order")
        let scratch = mounts.first
        XCTAssertEqual(scratch?.type, "tmpfs")
        XCTAssertEqual(scratch?.options.isSuperset(of: ["nosuid", "nodev", "noexec"]), true, "\(String(describing: scratch))")
        XCTAssertEqual(scratch?.superOptions.isSuperset(of: ["size=1024k", "mode=1770"]), true, "\(String(describing: scratch))")
        XCTAssertEqual(mounts.last?.superOptions.contains("size=512k"), true)
    }

    func testMountOfAnUnknownTypeFailsNamingTheDestination() {
        bundle.addMount(destination: "/bad", type: "nosuchfs", source: "none")
        let id = makeID("badmount")
        let result = hull("create", "--bundle", bundle.path, id)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("/bad"), result.stderr)
        XCTAssertEqual(result.stderr.filter { $0 == "\n" }.count, 1, "one line: \(result.stderr)")
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/bad"), "nothing made on the host")
    }

    func testBindMountOfAMissingSourceFails() {
        bundle.addBindMount(source: "/nonexistent-hull-source", destination: "/data")
        let id = makeID("nosource")
        let result = hull("create", "--bundle", bundle.path, id)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("/nonexistent-hull-source"), result.stderr)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    // MARK: read-only root and pivot

    func testReadOnlyRoot() {
        let result = runContainer(["sh", "-c", "touch /x 2>&1; echo rc=$?"])
        XCTAssertTrue(result.stdout.contains("Read-only file system"), result.stdout)
        XCTAssertTrue(result.stdout.hasSuffix("rc=1\n"), result.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: bundle.rootfs + "/x"))
    }

    func testWritableRootWritesIntoTheRootfs() {
        bundle.setReadonlyRoot(false)
        let result = runContainer(["sh", "-c", "echo made > /made-inside"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(ProcFS.read(bundle.rootfs + "/made-inside"), "made\n")
    }

    func testNoPivotRunsTheContainerInItsRootfs() throws {
        let result = runContainer(["sh", "-c", "ls /; pwd; cat /proc/self/mountinfo | wc -l"], flags: ["--no-pivot"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(Set(lines.dropLast(2)), ["bin", "dev", "etc", "proc", "root", "sys", "tmp", "usr"])
        XCTAssertEqual(lines.dropLast().last, "/")
        let mounts = containerMounts(flags: ["--no-pivot"])
        XCTAssertTrue(mounts.contains { $0.mountPoint == "/proc" && $0.type == "proc" })
        XCTAssertTrue(mounts.contains { $0.mountPoint == "/" && $0.options.contains("ro") }, "root.readonly with --no-pivot")
    }

    // MARK: devices

    func testDefaultDevices() {
        let paths = ["/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty"]
        let result = runContainer(["stat", "-c", "%n|%F|%t %T|%a|%u %g"] + paths)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout.split(separator: "\n").map(String.init), [
            "/dev/null|character special file|1 3|666|0 0",
            "/dev/zero|character special file|1 5|666|0 0",
            "/dev/full|character special file|1 7|666|0 0",
            "/dev/random|character special file|1 8|666|0 0",
            "/dev/urandom|character special file|1 9|666|0 0",
            "/dev/tty|character special file|5 0|666|0 0",
        ])
    }

    func testDefaultDevicesWork() {
        let result = runContainer(["sh", "-c", "echo gone > /dev/null && head -c 4 /dev/zero | wc -c && head -c 8 /dev/urandom | wc -c"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }, ["4", "8"])
    }

    func testConfiguredDevicesAreCreatedWithModeAndOwner() {
        bundle.editLinux { linux in
            linux["devices"] = [
                ["path": "/dev/hullchar", "type": "c", "major": 10, "minor": 229, "fileMode": 0o640, "uid": 1000, "gid": 1001],
                ["path": "/dev/sub/hullblock", "type": "b", "major": 7, "minor": 3, "fileMode": 0o600],
            ] as [[String: Any]]
        }
        let result = runContainer(["stat", "-c", "%n|%F|%t %T|%a|%u %g", "/dev/hullchar", "/dev/sub/hullblock"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout.split(separator: "\n").map(String.init), [
            "/dev/hullchar|character special file|a e5|640|1000 1001",
            "/dev/sub/hullblock|block special file|7 3|600|0 0",
        ])
    }

    func testDevSymlinks() {
        let result = runContainer(["sh", "-c", "for f in /dev/fd /dev/stdin /dev/stdout /dev/stderr /dev/ptmx; do readlink $f; done; ls /dev/fd/ >/dev/null && echo fd-ok"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout.split(separator: "\n").map(String.init),
                       ["/proc/self/fd", "/proc/self/fd/0", "/proc/self/fd/1", "/proc/self/fd/2", "pts/ptmx", "fd-ok"])
    }

    // MARK: escapes

    func testMountDestinationThroughASymlinkStaysInsideTheRootfs() throws {
        let host = try makeScratchDirectory("evil")
        try "precious\n".write(toFile: host + "/keep", atomically: false, encoding: .utf8)
        // Absolute and relative symlinks in the rootfs pointing at a host directory.
        try FileManager.default.createSymbolicLink(atPath: bundle.rootfs + "/evil", withDestinationPath: host + "/abs")
        try FileManager.default.createSymbolicLink(atPath: bundle.rootfs + "/evil2",
                                                   withDestinationPath: "../../../../../../.." + host + "/rel")
        bundle.addMount(destination: "/evil", type: "tmpfs", source: "tmpfs", options: ["size=1m"])
        bundle.addMount(destination: "/evil2", type: "tmpfs", source: "tmpfs", options: ["size=1m"])
        bundle.setReadonlyRoot(false)
        let result = runContainer(["sh", "-c", "echo pwned > /evil/marker; echo pwned > /evil2/marker; grep hull-evil /proc/self/mountinfo | cut -d' ' -f5"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: host), ["keep"], "nothing created on the host")
        XCTAssertEqual(ProcFS.read(host + "/keep"), "precious\n")
        XCTAssertEqual(Set(result.stdout.split(separator: "\n").map(String.init)), [host + "/abs", host + "/rel"],
                       "both mounts land on the in-rootfs resolution of the symlinks")
        XCTAssertTrue(FileManager.default.fileExists(atPath: bundle.rootfs + host + "/abs"), "made inside the rootfs")
        XCTAssertTrue(FileManager.default.fileExists(atPath: bundle.rootfs + host + "/rel"))
        assertNoMounts(under: host)
    }

    func testBindMountDestinationSymlinkToHostEtcStaysInside() throws {
        let source = try makeScratchDirectory("src")
        try "mine\n".write(toFile: source + "/passwd", atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: bundle.rootfs + "/hostetc", withDestinationPath: "/etc")
        bundle.addBindMount(source: source, destination: "/hostetc")
        let hostPasswd = ProcFS.read("/etc/passwd")
        let hostEtcMounts = MountTable.mountPoints(under: "/etc")
        let result = runContainer(["cat", "/etc/passwd"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "mine\n", "the bind landed on the container's own /etc")
        XCTAssertEqual(ProcFS.read("/etc/passwd"), hostPasswd)
        XCTAssertEqual(MountTable.mountPoints(under: "/etc"), hostEtcMounts, "no mount added on the host's /etc")
    }
}
