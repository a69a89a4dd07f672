import Foundation
import Glibc
import XCTest

/// config.json's `process` and the per-process settings around it: args, env, cwd, user, umask,
/// rlimits, oomScoreAdj, hostname/domainname, sysctl, and the file descriptors the container gets.
final class ProcessTests: LifecycleTestCase {
    private func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init)
    }

    // MARK: args, env, cwd

    func testArgsAndEnv() {
        bundle.setEnv(["PATH=/bin", "GREETING=hello world", "EMPTY="])
        let result = runContainer(["sh", "-c", "echo \"$0|$1|$GREETING|${EMPTY-unset}|\"; env | sort", "zero", "one two"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let output = lines(result.stdout)
        XCTAssertEqual(output.first, "zero|one two|hello world||")
        let env = Set(output.dropFirst())
        XCTAssertTrue(env.isSuperset(of: ["PATH=/bin", "GREETING=hello world", "EMPTY="]), "\(env)")
        XCTAssertFalse(env.contains { $0.hasPrefix("HULL_BINARY=") }, "hull's own environment does not leak in: \(env)")
    }

    func testArgsZeroIsLookedUpInThePATHOfTheConfig() {
        // busybox lives only in /bin of the rootfs; a PATH without /bin cannot find it.
        bundle.setEnv(["PATH=/usr/bin"])
        let id = makeID("path")
        bundle.setArgs(["busybox", "true"])
        let result = hull("run", "--bundle", bundle.path, id)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("exec: \"busybox\": executable file not found in $PATH"), result.stderr)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
        XCTAssertEqual(runContainer(["/bin/busybox", "true"]).status, 0, "an absolute path needs no PATH")
    }

    func testCwdIsCreatedWhenMissing() {
        bundle.setCwd("/work/deep/dir")
        let result = runContainer(["pwd"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "/work/deep/dir\n")
        var isDirectory: ObjCBool = false
        XCTAssertTrue(FileManager.default.fileExists(atPath: bundle.rootfs + "/work/deep/dir", isDirectory: &isDirectory))
        XCTAssertTrue(isDirectory.boolValue, "made inside the rootfs even though the root is read-only")
    }

    func testExistingCwd() {
        bundle.setCwd("/etc")
        XCTAssertEqual(runContainer(["pwd"]).stdout, "/etc\n")
    }

    // MARK: user

    func testUserUidGidAndAdditionalGids() {
        bundle.setUser(uid: 65534, gid: 65534, additionalGids: [5, 0])
        let result = runContainer(["sh", "-c", "id -u; id -g; grep -E '^(Uid|Gid|Groups):' /proc/self/status"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let output = lines(result.stdout).map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        XCTAssertEqual(output, ["65534", "65534", "Uid: 65534 65534 65534 65534", "Gid: 65534 65534 65534 65534",
                                "Groups: 0 5"])
    }

    func testUserWithoutAdditionalGidsHasNoSupplementaryGroups() {
        bundle.setUser(uid: 1000, gid: 1000)
        let result = runContainer(["grep", "-E", "^(Uid|Gid|Groups):", "/proc/self/status"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(lines(result.stdout).map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") },
                       ["Uid: 1000 1000 1000 1000", "Gid: 1000 1000 1000 1000", "Groups:"],
                       "the caller's groups do not leak in")
    }

    func testUmask() {
        XCTAssertEqual(runContainer(["sh", "-c", "umask"]).stdout, "0022\n", "runc's default umask")
        bundle.config { config in
            var process = config["process"] as? [String: Any] ?? [:]
            process["user"] = ["uid": 0, "gid": 0, "umask": 0o027]
            config["process"] = process
        }
        XCTAssertEqual(runContainer(["sh", "-c", "umask"]).stdout, "0027\n")
    }

    // MARK: rlimits, oom score

    private func setRlimits(_ limits: [[String: Any]]) {
        bundle.config { config in
            var process = config["process"] as? [String: Any] ?? [:]
            process["rlimits"] = limits
            config["process"] = process
        }
    }

    func testRlimitsAreSetBeforeTheProcessRuns() throws {
        setRlimits([["type": "RLIMIT_NOFILE", "soft": 1024, "hard": 2048],
                    ["type": "RLIMIT_CORE", "soft": 0, "hard": 4096]])
        bundle.setArgs(["sleep", "30"])
        let id = makeID("rlimit")
        let pid = try createContainer(id)
        let limits = lines(ProcFS.read("/proc/\(pid)/limits") ?? "")
            .map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        XCTAssertTrue(limits.contains("Max open files 1024 2048 files"), "\(limits)")
        XCTAssertTrue(limits.contains("Max core file size 0 4096 bytes"), "\(limits)")
        XCTAssertEqual(hull("delete", id).status, 0)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testRlimitAboveTheHardLimitIsAClearError() {
        // The host's hard limit for open files is 20000 and hull lacks CAP_SYS_RESOURCE.
        setRlimits([["type": "RLIMIT_NOFILE", "soft": 1048576, "hard": 1048576]])
        let id = makeID("rlimitbig")
        let result = hull("create", "--bundle", bundle.path, id)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("RLIMIT_NOFILE"), result.stderr)
        XCTAssertEqual(result.stderr.filter { $0 == "\n" }.count, 1, "one line: \(result.stderr)")
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testOomScoreAdj() throws {
        bundle.config { config in
            var process = config["process"] as? [String: Any] ?? [:]
            process["oomScoreAdj"] = 500
            config["process"] = process
        }
        bundle.setArgs(["sleep", "30"])
        let id = makeID("oom")
        let pid = try createContainer(id)
        XCTAssertEqual(ProcFS.read("/proc/\(pid)/oom_score_adj"), "500\n")
        XCTAssertEqual(hull("delete", id).status, 0)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testOomScoreAdjBelowTheCallersIsAClearError() throws {
        let own = try XCTUnwrap(ProcFS.read("/proc/self/oom_score_adj").flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
        bundle.config { config in
            var process = config["process"] as? [String: Any] ?? [:]
            process["oomScoreAdj"] = max(-1000, own - 998)
            config["process"] = process
        }
        let id = makeID("oomlow")
        let result = hull("create", "--bundle", bundle.path, id)
        XCTAssertEqual(result.status, 1, "lowering oom_score_adj needs CAP_SYS_RESOURCE, which this host lacks")
        XCTAssertTrue(result.stderr.contains("oom_score_adj") || result.stderr.contains("oomScoreAdj"), result.stderr)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    // MARK: names, sysctl

    func testHostnameAndDomainname() {
        bundle.setHostname("box")
        bundle.config { $0["domainname"] = "example.org" }
        let hostHostname = ProcFS.read("/proc/sys/kernel/hostname")
        let result = runContainer(["sh", "-c", "hostname; cat /proc/sys/kernel/domainname"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "box\nexample.org\n")
        XCTAssertEqual(ProcFS.read("/proc/sys/kernel/hostname"), hostHostname, "the host keeps its name")
    }

    func testSysctlInANewNetworkNamespace() {
        let hostValue = ProcFS.read("/proc/sys/net/ipv4/ip_forward")
        let newValue = hostValue == "1\n" ? "0" : "1"
        bundle.editLinux { $0["sysctl"] = ["net.ipv4.ip_forward": newValue, "net.ipv4.ping_group_range": "0 0"] }
        let result = runContainer(["cat", "/proc/sys/net/ipv4/ip_forward", "/proc/sys/net/ipv4/ping_group_range"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(lines(result.stdout).first, newValue)
        XCTAssertEqual(lines(result.stdout).last?.split(whereSeparator: \.isWhitespace), ["0", "0"])
        XCTAssertEqual(ProcFS.read("/proc/sys/net/ipv4/ip_forward"), hostValue, "the host's value is untouched")
    }

    func testUnknownSysctlFailsNamingIt() {
        bundle.editLinux { $0["sysctl"] = ["net.ipv4.no_such_knob": "1"] }
        let id = makeID("badsysctl")
        let result = hull("create", "--bundle", bundle.path, id)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("net.ipv4.no_such_knob"), result.stderr)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    // MARK: file descriptors

    /// Runs `hull --root R ARGS` from a shell that first runs `setup` (e.g. `exec 3</etc/hostname`).
    private func hullFromShell(setup: String, _ args: [String]) -> (status: Int32, stdout: String, stderr: String) {
        ChildProcess.run("/bin/sh", ["-c", setup + "; exec \"$0\" \"$@\"", runner.binary, "--root", root.path] + args)
    }

    func testPreserveFdsPassesExtraDescriptors() throws {
        let host = try makeScratchDirectory("fds")
        try "three\n".write(toFile: host + "/three", atomically: false, encoding: .utf8)
        try "four\n".write(toFile: host + "/four", atomically: false, encoding: .utf8)
        bundle.setArgs(["sh", "-c", "cat /proc/self/fd/3 /proc/self/fd/4; ls /proc/self/fd/5 2>/dev/null || echo no-5"])
        let id = makeID("preserve")
        let result = hullFromShell(setup: "exec 3<\(host)/three 4<\(host)/four 5<\(host)/three",
                                   ["run", "--preserve-fds", "2", "--bundle", bundle.path, id])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "three\nfour\nno-5\n")
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testDescriptorsThatAreNotPreservedDoNotReachTheProcess() throws {
        bundle.setArgs(["ls", "/proc/self/fd"])
        let id = makeID("nofds")
        let result = hullFromShell(setup: "exec 3</etc/hostname 5</etc/hostname 9</etc/hostname",
                                   ["run", "--bundle", bundle.path, id])
        XCTAssertEqual(result.status, 0, result.stderr)
        // 0-2, and 3 is ls's own directory stream.
        XCTAssertEqual(lines(result.stdout), ["0", "1", "2", "3"])
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testCreatedInitHoldsNoDescriptorsOfTheCaller() throws {
        // runc's init gets only stdio and the preserved fds while it waits for `start`. An init
        // that keeps the caller's other descriptors open holds the caller's pipes and sockets:
        // a caller waiting for EOF on one of them (Foundation's Process does) hangs.
        bundle.setArgs(["sleep", "30"])
        let id = makeID("callerfds")
        let pidFile = try makeScratchDirectory("pid") + "/pid"
        let result = hullFromShell(setup: "exec 7</etc/hostname 9</etc/hostname",
                                   ["create", "--preserve-fds", "0", "--pid-file", pidFile, "--bundle", bundle.path, id])
        XCTAssertEqual(result.status, 0, result.stderr)
        let pid = try XCTUnwrap(Int32(String(contentsOfFile: pidFile, encoding: .utf8)))
        let held = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []).compactMap { fd -> String? in
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)") else { return nil }
            return target == "/etc/hostname" ? fd : nil
        }
        XCTAssertEqual(held, [], "the waiting init holds the caller's fds \(held)")
        XCTAssertEqual(hull("delete", id).status, 0)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testProcessStartsWithDefaultSignalsAndNothingBlocked() {
        // hull's caller ignores some signals (inherited across exec) and `hull run` blocks the
        // ones it forwards: the container's process gets neither. Signals 32 and 33 are glibc's
        // own, which glibc's sigaction cannot reset; they are left out of the comparison.
        bundle.removeNamespace("pid")
        bundle.setArgs(["grep", "-E", "^Sig(Blk|Ign):", "/proc/self/status"])
        let id = makeID("signals")
        let result = hullFromShell(setup: "trap '' PIPE HUP INT USR1 TERM", ["run", "--bundle", bundle.path, id])
        XCTAssertEqual(result.status, 0, result.stderr)
        let masks = Dictionary(uniqueKeysWithValues: lines(result.stdout).compactMap { line -> (String, UInt64)? in
            let fields = line.split(whereSeparator: \.isWhitespace).map(String.init)
            guard fields.count == 2, let mask = UInt64(fields[1], radix: 16) else { return nil }
            return (fields[0], mask)
        })
        let standardSignals: UInt64 = 0x7fff_ffff
        XCTAssertEqual(masks["SigBlk:"], 0, result.stdout)
        XCTAssertEqual(masks["SigIgn:"].map { $0 & standardSignals }, 0, result.stdout)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }
}
