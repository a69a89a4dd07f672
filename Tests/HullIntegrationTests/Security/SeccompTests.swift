import Foundation
import Glibc
import XCTest

/// linux.seccomp: the filter is installed (Seccomp and Seccomp_filters from outside), every
/// action (SCMP_ACT_NOTIFY with a listener), every operator, errnoRet and defaultErrnoRet,
/// architectures, flags, and names libseccomp does not know.
final class SeccompTests: LifecycleTestCase {
    private func allowAllBut(_ rules: [[String: Any]], flags: [String]? = nil, architectures: [String]? = nil) -> [String: Any] {
        var seccomp: [String: Any] = ["defaultAction": "SCMP_ACT_ALLOW", "syscalls": rules]
        if let flags { seccomp["flags"] = flags }
        if let architectures { seccomp["architectures"] = architectures }
        return seccomp
    }

    private let denyMkdir: [[String: Any]] = [["names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38]]

    private func mkdirResult(flags: [String] = []) -> (status: Int32, stdout: String, stderr: String) {
        runContainer(["mkdir", "/dev/shm/made"], flags: flags)
    }

    func testFilterIsInstalledOnTheProcess() throws {
        setSeccomp(allowAllBut(denyMkdir))
        let fields = try statusOfRunningContainer(["Seccomp", "Seccomp_filters", "NoNewPrivs"])
        XCTAssertEqual(fields, ["Seccomp": "2", "Seccomp_filters": "1", "NoNewPrivs": "1"])
    }

    func testNoSeccompMeansNoFilter() throws {
        setSeccomp(nil)
        let fields = try statusOfRunningContainer(["Seccomp", "Seccomp_filters"])
        XCTAssertEqual(fields, ["Seccomp": "0", "Seccomp_filters": "0"])
    }

    func testErrnoRetIsReturned() {
        setSeccomp(allowAllBut(denyMkdir))
        let result = mkdirResult()
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("Function not implemented"), "ENOSYS (38): \(result.stderr)")
    }

    func testErrnoWithoutErrnoRetIsEPERM() {
        setSeccomp(allowAllBut([["names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"]]))
        let result = mkdirResult()
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("Operation not permitted"), result.stderr)
    }

    func testWithoutNoNewPrivilegesTheFilterIsLoadedWithCapSysAdmin() throws {
        // Loading a filter without no_new_privs needs CAP_SYS_ADMIN, so the init loads it before
        // it drops its capabilities (runc's order); it must also work for a non-root user.
        setProcessField("noNewPrivileges", false)
        bundle.setUser(uid: 1000, gid: 1000)
        setSeccomp(allowAllBut(denyMkdir))
        let result = mkdirResult()
        XCTAssertTrue(result.stderr.contains("Function not implemented"), result.stderr)
        let fields = try statusOfRunningContainer(["Seccomp", "NoNewPrivs", "CapEff"])
        XCTAssertEqual(fields, ["Seccomp": "2", "NoNewPrivs": "0", "CapEff": "0000000000000000"])
    }

    func testKillActionsEndTheProcessWithSIGSYS() {
        for action in ["SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP"] {
            setSeccomp(allowAllBut([["names": ["mkdir", "mkdirat"], "action": action]]))
            XCTAssertEqual(mkdirResult().status, 128 + SIGSYS, action)
        }
    }

    func testTraceWithoutATracerFailsWithENOSYS() {
        // seccomp(2): with no tracer attached, SECCOMP_RET_TRACE makes the call fail with ENOSYS.
        setSeccomp(allowAllBut([["names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_TRACE", "errnoRet": 5]]))
        let result = mkdirResult()
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("Function not implemented"), result.stderr)
    }

    func testLogAndAllowActionsLetTheCallThrough() {
        for action in ["SCMP_ACT_LOG", "SCMP_ACT_ALLOW"] {
            setSeccomp(["defaultAction": "SCMP_ACT_LOG",
                        "syscalls": [["names": ["mkdir", "mkdirat"], "action": action]]])
            let result = runContainer(["sh", "-c", "mkdir /dev/shm/made && grep Seccomp: /proc/self/status"])
            XCTAssertEqual(result.status, 0, "\(action): \(result.stderr)")
            XCTAssertEqual(result.stdout.split(whereSeparator: \.isWhitespace), ["Seccomp:", "2"], action)
        }
    }

    func testDefaultErrnoRet() {
        // Deny everything but what busybox's sh, mkdir and the init's last steps need.
        setSeccomp(["defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 99,
                    "syscalls": [["names": Self.busyboxSyscalls, "action": "SCMP_ACT_ALLOW"]]])
        let result = runContainer(["sh", "-c", "echo started; mkdir /dev/shm/made"])
        XCTAssertEqual(result.stdout, "started\n", result.stderr)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("Cannot assign requested address"), "EADDRNOTAVAIL (99): \(result.stderr)")
    }

    /// runc's ENOSYS stub: under a blocking default action, a system call numbered above every
    /// one the profile names (setns, 308 on x86_64, here) fails with ENOSYS, so that libc can fall
    /// back; once the profile names a higher one (getcpu, 309) it gets the default action.
    func testSyscallsNewerThanTheProfileFailWithENOSYS() {
        let older = Self.busyboxSyscalls.filter { !Self.since300.contains($0) }
        for (names, expected) in [(older, "Function not implemented"), (older + ["getcpu"], "Operation not permitted")] {
            setSeccomp(["defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"],
                        "syscalls": [["names": names, "action": "SCMP_ACT_ALLOW"]]])
            let result = runContainer(["nsenter", "-t", "1", "-u", "true"])
            XCTAssertEqual(result.status, 1)
            XCTAssertTrue(result.stderr.contains("setns(): can't reassociate to namespace 'uts': \(expected)"), result.stderr)
        }
    }

    /// The x86_64 system calls of `busyboxSyscalls` numbered 300 or more.
    static let since300: Set = ["newfstatat", "statx", "faccessat", "faccessat2", "pipe2", "dup3", "clone3", "readlinkat",
                                "prlimit64", "rseq", "getrandom", "close_range"]

    /// Each operator on kill(2)'s signal argument: `kill -N 1` for N in 0, 17, 23, 28 (signals
    /// the container's sh, pid 1, ignores) prints which calls the rule denied.
    func testEveryOperator() {
        let cases: [(op: String, value: UInt64, valueTwo: UInt64?, denied: [Int])] = [
            ("SCMP_CMP_NE", 23, nil, [0, 17, 28]), ("SCMP_CMP_LT", 23, nil, [0, 17]),
            ("SCMP_CMP_LE", 23, nil, [0, 17, 23]), ("SCMP_CMP_EQ", 23, nil, [23]),
            ("SCMP_CMP_GE", 23, nil, [23, 28]), ("SCMP_CMP_GT", 23, nil, [28]),
            ("SCMP_CMP_MASKED_EQ", 3, 3, [23]),
        ]
        for test in cases {
            var arg: [String: Any] = ["index": 1, "value": test.value, "op": test.op]
            if let two = test.valueTwo { arg["valueTwo"] = two }
            setSeccomp(allowAllBut([["names": ["kill"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1, "args": [arg]]]))
            XCTAssertEqual(deniedSignals(), test.denied, test.op)
        }
    }

    func testConditionsOnDifferentArgumentsMustAllHold() {
        setSeccomp(allowAllBut([["names": ["kill"], "action": "SCMP_ACT_ERRNO", "args": [
            ["index": 0, "value": 1, "op": "SCMP_CMP_EQ"], ["index": 1, "value": 17, "op": "SCMP_CMP_GE"],
            ["index": 1, "value": 23, "op": "SCMP_CMP_LT"] as [String: Any],
        ]]]))
        // Two conditions on argument 1: runc adds one rule per condition, so either denies.
        XCTAssertEqual(deniedSignals(), [0, 17, 23, 28])
        setSeccomp(allowAllBut([["names": ["kill"], "action": "SCMP_ACT_ERRNO", "args": [
            ["index": 0, "value": 1, "op": "SCMP_CMP_EQ"], ["index": 1, "value": 23, "op": "SCMP_CMP_GE"] as [String: Any],
        ]]]))
        XCTAssertEqual(deniedSignals(), [23, 28], "pid 1 and a signal >= 23")
    }

    private func deniedSignals(file: StaticString = #filePath, line: UInt = #line) -> [Int] {
        let result = runContainer(["sh", "-c", "for s in 0 17 23 28; do kill -$s 1 2>/dev/null || echo $s; done"],
                                  file: file, line: line)
        XCTAssertEqual(result.status, 0, result.stderr, file: file, line: line)
        return result.stdout.split(separator: "\n").compactMap { Int($0) }
    }

    func testUnknownSyscallNamesAreSkipped() {
        setSeccomp(allowAllBut([["names": ["no_such_syscall", "mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38]]))
        let result = mkdirResult(flags: ["--debug"])
        XCTAssertTrue(result.stderr.contains("Function not implemented"), "the known names still apply: \(result.stderr)")
        XCTAssertTrue(result.stderr.contains("system calls unknown to libseccomp are skipped: no_such_syscall"), result.stderr)
    }

    func testEveryListedArchitectureAndFlagIsAccepted() throws {
        let seccomp = try XCTUnwrap(hullFeatures()?["seccomp"] as? [String: Any])
        let archs = try XCTUnwrap(seccomp["archs"] as? [String])
        let flags = try XCTUnwrap(seccomp["supportedFlags"] as? [String])
        XCTAssertTrue(archs.contains("SCMP_ARCH_X86_64") && archs.contains("SCMP_ARCH_X86") && archs.contains("SCMP_ARCH_AARCH64"), "\(archs)")
        // This kernel (6.x) has all four; WAIT_KILLABLE_RECV takes effect with a listener (the notify test).
        XCTAssertEqual(Set(flags), ["SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
                                    "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"])
        setSeccomp(allowAllBut(denyMkdir, flags: flags, architectures: archs))
        let all = mkdirResult()
        XCTAssertTrue(all.stderr.contains("Function not implemented"), "all archs and flags: \(all.stderr)")
        for flag in flags {
            setSeccomp(allowAllBut(denyMkdir, flags: [flag]))
            let result = mkdirResult()
            XCTAssertTrue(result.stderr.contains("Function not implemented"), "\(flag): \(result.stderr)")
        }
    }

    func testArchitectureOfTheOtherByteOrderIsRefused() {
        // libseccomp cannot mix byte orders in one filter; hull reports it (so does runc).
        setSeccomp(allowAllBut(denyMkdir, architectures: ["SCMP_ARCH_S390X"]))
        let result = mkdirResult()
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("config.json: linux.seccomp: add seccomp architecture s390x"), result.stderr)
    }

    /// SCMP_ACT_NOTIFY: the listener at listenerPath receives the notify fd with the container
    /// process state (runtime-spec), and its answer is what the container's call returns.
    func testNotifyListenerReceivesTheFdAndAnswersTheCall() throws {
        let directory = try makeScratchDirectory("listener")
        let listener = try SeccompTestListener(path: directory + "/listener.sock", answerErrno: EXDEV)
        setSeccomp(["defaultAction": "SCMP_ACT_ALLOW", "listenerPath": listener.path, "listenerMetadata": "hello=1",
                    "flags": ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", "SECCOMP_FILTER_FLAG_TSYNC"],
                    "syscalls": [["names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_NOTIFY"]]])
        let result = mkdirResult()
        XCTAssertTrue(listener.wait(timeout: 15), "the listener finished")
        XCTAssertNil(listener.problem)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("Invalid cross-device link"), "the listener's EXDEV: \(result.stderr)")
        XCTAssertTrue([83, 258].contains(listener.syscall), "mkdir or mkdirat on x86_64: \(listener.syscall)")

        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(listener.state.utf8)) as? [String: Any], listener.state)
        XCTAssertEqual(document["fds"] as? [String], ["seccompFd"])
        XCTAssertEqual(document["metadata"] as? String, "hello=1")
        XCTAssertEqual(document["ociVersion"] as? String, "1.3.0")
        let pid = try XCTUnwrap(document["pid"] as? Int)
        XCTAssertGreaterThan(pid, 0)
        let state = try XCTUnwrap(document["state"] as? [String: Any])
        XCTAssertEqual(state["status"] as? String, "creating")
        XCTAssertEqual(state["pid"] as? Int, pid)
        XCTAssertTrue((state["id"] as? String)?.hasPrefix("hullt-run-") ?? false, "\(state)")
        XCTAssertEqual(state["bundle"] as? String, bundle.path)
    }

    func testNotifyNeedsAListenerPath() {
        setSeccomp(allowAllBut([["names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"]]))
        let result = mkdirResult()
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("linux.seccomp.listenerPath: required when an action is SCMP_ACT_NOTIFY"), result.stderr)
    }

    func testUnreachableListenerFailsCreate() throws {
        let directory = try makeScratchDirectory("nolistener")
        setSeccomp(["defaultAction": "SCMP_ACT_ALLOW", "listenerPath": directory + "/missing.sock",
                    "syscalls": [["names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"]]])
        let result = mkdirResult()
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("send the seccomp notify fd to \(directory)/missing.sock"), result.stderr)
    }

    /// A compiled program is kept under the state root and used again for the same profile
    /// only; the cache directory is not a container.
    func testCompiledProgramsAreCachedPerProfile() throws {
        let cache = root.path + "/seccomp~cache"
        let entries = { (try? FileManager.default.contentsOfDirectory(atPath: cache).count) ?? 0 }
        setSeccomp(allowAllBut(denyMkdir))
        XCTAssertTrue(mkdirResult().stderr.contains("Function not implemented"))
        XCTAssertEqual(entries(), 1)
        XCTAssertTrue(mkdirResult().stderr.contains("Function not implemented"), "the same profile, from the cache")
        XCTAssertEqual(entries(), 1)
        setSeccomp(allowAllBut([["names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"]]))
        XCTAssertTrue(mkdirResult().stderr.contains("Operation not permitted"), "another profile is compiled anew")
        XCTAssertEqual(entries(), 2)
        XCTAssertEqual(hull("list", "--quiet").stdout, "", "the cache is not listed as a container")
    }

    private func hullFeatures() -> [String: Any]? {
        let result = hull("features")
        let json = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return json?["linux"] as? [String: Any]
    }

    /// What busybox sh + mkdir and the init's steps after loading the filter call.
    static let busyboxSyscalls = [
        "read", "write", "open", "openat", "close", "stat", "fstat", "lstat", "newfstatat", "statx", "poll", "lseek",
        "mmap", "mprotect", "munmap", "brk", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "ioctl", "access",
        "faccessat", "faccessat2", "pipe", "pipe2", "dup", "dup2", "dup3", "getpid", "getppid", "getuid", "geteuid",
        "getgid", "getegid", "getpgrp", "setpgid", "getpgid", "clone", "clone3", "fork", "vfork", "execve", "exit",
        "exit_group", "wait4", "waitid", "kill", "uname", "fcntl", "getcwd", "chdir", "readlink", "readlinkat",
        "getdents64", "arch_prctl", "set_tid_address", "set_robust_list", "prlimit64", "getrlimit", "futex",
        "rseq", "getrandom", "sendto", "sendmsg", "recvfrom", "close_range", "prctl", "personality", "capget",
        "capset", "setresuid", "setresgid", "setgroups", "sigaltstack", "madvise", "gettid", "tgkill",
        "clock_gettime", "gettimeofday", "nanosleep", "clock_nanosleep", "umask", "sched_getaffinity",
    ]
}
