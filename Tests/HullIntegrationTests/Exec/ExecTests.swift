import Foundation
import Glibc
import XCTest

/// `hull exec` into a running container: output and exit status, the process's identity
/// (user, environment, cwd, capabilities, no_new_privs, seccomp), that it joins the container's
/// namespaces and cgroup, the flags, the states exec refuses, and what the new process must not
/// be able to reach on the host.
final class ExecTests: LifecycleTestCase {
    // MARK: output, status, identity

    func testExecPrintsAndReturnsItsExitStatus() throws {
        let id = makeID("echo")
        try startRunningContainer(id)
        let echo = exec(id, ["echo", "hello from exec"])
        XCTAssertEqual(echo.status, 0, echo.stderr)
        XCTAssertEqual(echo.stdout, "hello from exec\n")
        XCTAssertEqual(exec(id, ["sh", "-c", "exit 7"]).status, 7)
        XCTAssertEqual(exec(id, ["sh", "-c", "echo oops >&2; exit 1"]).stderr, "oops\n")
        XCTAssertEqual(status(id), "running", "the container outlives its exec'd processes")
        deleteAndCheckLeaks(id)
    }

    func testExecOfAMissingProgramFails() throws {
        let id = makeID("missing")
        try startRunningContainer(id)
        assertOneLineFailure(exec(id, ["no-such-program"]), mentioning: ["no-such-program"])
        XCTAssertEqual(status(id), "running")
        deleteAndCheckLeaks(id)
    }

    func testExecRunsAsTheConfiguredUser() throws {
        bundle.setUser(uid: 1000, gid: 1000, additionalGids: [1001, 1002])
        let id = makeID("user")
        try startRunningContainer(id)
        let result = exec(id, ["sh", "-c", "id -u; id -g; id -G"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(outputLines(result.stdout), ["1000", "1000", "1000 1001 1002"])
        deleteAndCheckLeaks(id)
    }

    func testUserAndAdditionalGidsFlags() throws {
        let id = makeID("userflag")
        try startRunningContainer(id)
        let result = exec(id, ["sh", "-c", "id -u; id -g; id -G"],
                          flags: ["--user", "1000:1000", "--additional-gids", "2000", "--additional-gids", "3000"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(outputLines(result.stdout), ["1000", "1000", "1000 2000 3000"])
        let uidOnly = exec(id, ["sh", "-c", "id -u; id -g; id -G"], flags: ["-u", "1234", "-g", "7", "-g", "8"])
        XCTAssertEqual(outputLines(uidOnly.stdout), ["1234", "0", "0 7 8"], "--user UID keeps gid 0")
        deleteAndCheckLeaks(id)
    }

    func testEnvironmentIsTheConfigsPlusEnvFlags() throws {
        bundle.addEnv("FROM_CONFIG=config")
        let id = makeID("env")
        try startRunningContainer(id)
        let result = exec(id, ["sh", "-c", "echo $FOO; echo $FROM_CONFIG; echo $PATH; echo $TERM; echo $A"],
                          flags: ["--env", "FOO=bar", "--env", "TERM=dumb", "--env", "A=b=c"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(outputLines(result.stdout),
                       ["bar", "config", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "dumb", "b=c"])
        deleteAndCheckLeaks(id)
    }

    func testHomeComesFromTheContainersPasswdUnlessSet() throws {
        // runc: a process without HOME in its environment gets the user's home directory from
        // the container's /etc/passwd, "/" for a uid it does not list.
        let id = makeID("home")
        try startRunningContainer(id)
        XCTAssertEqual(exec(id, ["sh", "-c", "echo $HOME"]).stdout, "/root\n")
        XCTAssertEqual(exec(id, ["sh", "-c", "echo $HOME"], flags: ["--user", "1000:1000"]).stdout, "/\n")
        XCTAssertEqual(exec(id, ["sh", "-c", "echo $HOME"], flags: ["--env", "HOME=/tmp"]).stdout, "/tmp\n")
        deleteAndCheckLeaks(id)
    }

    func testCwdIsTheConfigsOrTheFlag() throws {
        bundle.setCwd("/bin")
        let id = makeID("cwd")
        try startRunningContainer(id)
        XCTAssertEqual(exec(id, ["pwd"]).stdout, "/bin\n")
        let flag = exec(id, ["sh", "-c", "pwd; readlink /proc/self/cwd"], flags: ["--cwd", "/tmp"])
        XCTAssertEqual(flag.status, 0, flag.stderr)
        XCTAssertEqual(outputLines(flag.stdout), ["/tmp", "/tmp"])
        deleteAndCheckLeaks(id)
    }

    // MARK: namespaces and cgroup

    func testExecJoinsTheInitsNamespacesAndCgroup() throws {
        let id = makeID("ns")
        let initPid = try startRunningContainer(id)
        let execPid = try execDetached(id, ["sleep", "999"])
        for kind in ["pid", "mnt", "net", "ipc", "uts", "user", "cgroup"] {
            let inits = ProcFS.namespace(kind, of: "\(initPid)")
            XCTAssertNotNil(inits, kind)
            XCTAssertEqual(ProcFS.namespace(kind, of: "\(execPid)"), inits, "\(kind) namespace")
        }
        for kind in ["pid", "mnt", "net", "ipc", "uts"] {
            XCTAssertNotEqual(ProcFS.namespace(kind, of: "\(execPid)"), ProcFS.namespace(kind, of: "self"),
                              "the config asks for a new \(kind) namespace")
        }
        XCTAssertEqual(ProcFS.read("/proc/\(execPid)/cgroup"), ProcFS.read("/proc/\(initPid)/cgroup"))
        XCTAssertEqual(ProcFS.read("/proc/\(execPid)/root/etc/passwd"), ProcFS.read(bundle.rootfs + "/etc/passwd"),
                       "the exec'd process sees the container's root")
        XCTAssertEqual(exec(id, ["hostname"]).stdout, "runc\n", "the container's hostname (uts namespace)")
        deleteAndCheckLeaks(id)
        XCTAssertFalse(ProcFS.isAlive(execPid), "delete --force kills the exec'd process with the container")
    }

    func testExecSeesTheContainersPidNamespace() throws {
        let id = makeID("pidns")
        try startRunningContainer(id)
        // pid 1 inside is the init; the exec'd ps sees only the container's processes.
        let result = exec(id, ["ps", "-o", "pid,comm"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let rows = outputLines(result.stdout).dropFirst().map { $0.split(separator: " ").map(String.init) }
        XCTAssertEqual(rows.first, ["1", "sleep"], result.stdout)
        XCTAssertEqual(Set(rows.compactMap(\.last)), ["sleep", "ps"], "only the container's processes: \(result.stdout)")
        deleteAndCheckLeaks(id)
    }

    // MARK: capabilities, no_new_privs, seccomp

    func testCapabilitiesNoNewPrivsAndSeccompMatchTheInit() throws {
        setSeccomp([
            "defaultAction": "SCMP_ACT_ALLOW",
            "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
            "syscalls": [["names": ["sethostname"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1]],
        ])
        let id = makeID("caps")
        let initPid = try startRunningContainer(id)
        let result = exec(id, ["cat", "/proc/self/status"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let fields = statusFields(result.stdout)
        for name in ["CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"] {
            XCTAssertEqual(fields[name], ProcFS.statusField(pid: initPid, name), name)
        }
        let runcSpecDefault = capMask(5, 10, 29) // CAP_KILL, CAP_NET_BIND_SERVICE, CAP_AUDIT_WRITE
        XCTAssertEqual(fields["CapEff"].flatMap { UInt64($0, radix: 16) }, runcSpecDefault)
        XCTAssertEqual(fields["NoNewPrivs"], "1")
        XCTAssertEqual(fields["Seccomp"], "2")
        XCTAssertEqual(fields["Seccomp_filters"], ProcFS.statusField(pid: initPid, "Seccomp_filters"))
        deleteAndCheckLeaks(id)
    }

    func testCapFlagAddsToEffectiveButNotToInheritable() throws {
        // CVE-2022-29162: a capability added with --cap must not land in the inheritable set,
        // where an execve of a file with inheritable file capabilities would pick it up.
        let id = makeID("capflag")
        try startRunningContainer(id)
        let result = exec(id, ["cat", "/proc/self/status"], flags: ["--cap", "CAP_SYS_ADMIN", "--cap", "CAP_NET_RAW"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let fields = statusFields(result.stdout).compactMapValues { UInt64($0, radix: 16) }
        let added = capMask(21, 13) // CAP_SYS_ADMIN, CAP_NET_RAW
        for name in ["CapEff", "CapPrm", "CapBnd"] {
            XCTAssertEqual(fields[name].map { $0 & added }, added, "\(name) has the added capabilities")
        }
        XCTAssertEqual(fields["CapInh"].map { $0 & added }, 0, "CapInh must not get --cap")
        XCTAssertEqual(fields["CapAmb"].map { $0 & added }, 0, "CapAmb must not get --cap")
        let plain = statusFields(exec(id, ["cat", "/proc/self/status"]).stdout).compactMapValues { UInt64($0, radix: 16) }
        XCTAssertEqual(plain["CapEff"].map { $0 & added }, 0, "--cap lasts for that exec only")
        deleteAndCheckLeaks(id)
    }

    func testNoNewPrivsFlag() throws {
        setProcessField("noNewPrivileges", false)
        let id = makeID("nnp")
        try startRunningContainer(id)
        XCTAssertEqual(statusFields(exec(id, ["cat", "/proc/self/status"]).stdout)["NoNewPrivs"], "0")
        let flagged = exec(id, ["cat", "/proc/self/status"], flags: ["--no-new-privs"])
        XCTAssertEqual(flagged.status, 0, flagged.stderr)
        XCTAssertEqual(statusFields(flagged.stdout)["NoNewPrivs"], "1")
        deleteAndCheckLeaks(id)
    }

    func testSignalsToAForegroundExecReachTheProcess() throws {
        let id = makeID("signal")
        try startRunningContainer(id)
        let foreground = try hullInBackground(["exec", id, "sh", "-c",
                                               "trap 'echo got-term; exit 9' TERM; echo ready; while :; do sleep 0.05; done"])
        waitFor("the exec'd shell to set its trap") { foreground.stdout == "ready\n" }
        foreground.send(SIGTERM)
        XCTAssertEqual(foreground.wait(timeout: 20), 9, "hull forwards SIGTERM and returns the process's status")
        XCTAssertEqual(foreground.stdout, "ready\ngot-term\n")
        XCTAssertEqual(status(id), "running")
        deleteAndCheckLeaks(id)
    }

    // MARK: --process, --detach, --pid-file, --preserve-fds

    func testProcessFile() throws {
        let id = makeID("procfile")
        try startRunningContainer(id)
        let processFile = try makeScratchDirectory("process") + "/process.json"
        let process: [String: Any] = [
            "terminal": false,
            "user": ["uid": 1234, "gid": 4321, "additionalGids": [5555]],
            "args": ["sh", "-c", "echo $FOO; id -u; id -G; pwd; grep -E '^(CapBnd|NoNewPrivs):' /proc/self/status"],
            "env": ["PATH=/bin", "FOO=from-process-json"],
            "cwd": "/tmp",
            "capabilities": ["bounding": ["CAP_KILL"], "effective": ["CAP_KILL"], "permitted": ["CAP_KILL"]],
            "noNewPrivileges": true,
        ]
        try JSONSerialization.data(withJSONObject: process).write(to: URL(fileURLWithPath: processFile))
        let result = hull("exec", "--process", processFile, id)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(outputLines(result.stdout).map { $0.replacingOccurrences(of: "\t", with: " ") },
                       ["from-process-json", "1234", "4321 5555", "/tmp", "CapBnd: 0000000000000020", "NoNewPrivs: 1"])
        let short = hull("exec", "-p", processFile, id)
        XCTAssertEqual(short.stdout, result.stdout)
        deleteAndCheckLeaks(id)
    }

    func testDetachWritesTheExecdProcesssPid() throws {
        let id = makeID("detach")
        try startRunningContainer(id)
        let started = Date()
        let pid = try execDetached(id, ["sleep", "999"])
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "exec --detach does not wait for the process")
        XCTAssertTrue(ProcFS.isAlive(pid))
        let ps = hull("ps", "--format", "json", id)
        XCTAssertEqual(ps.status, 0, ps.stderr)
        let pids = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(ps.stdout.utf8)) as? [Int], ps.stdout)
        XCTAssertTrue(pids.contains(Int(pid)), "ps lists the exec'd process \(pid): \(pids)")
        // The detached process is not hull's child any more: nothing of hull's waits around.
        XCTAssertEqual(HostLeaks.processes(withArgsContaining: "exec").filter { $0.commandLine.contains(id) }.count, 0)
        deleteAndCheckLeaks(id)
        XCTAssertFalse(ProcFS.isAlive(pid))
    }

    func testPreserveFdsPassesDescriptorThree() throws {
        let id = makeID("preserve")
        try startRunningContainer(id)
        let host = try makeScratchDirectory("fds")
        try "three\n".write(toFile: host + "/three", atomically: false, encoding: .utf8)
        let result = execFromShell(setup: "exec 3<\(host)/three 4<\(host)/three", id,
                                   ["sh", "-c", "cat <&3; ls /proc/self/fd/4 2>/dev/null || echo no-4"],
                                   flags: ["--preserve-fds", "1"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "three\nno-4\n")
        deleteAndCheckLeaks(id)
    }

    // MARK: states exec refuses

    func testExecIntoACreatedContainerWorks() throws {
        // As in runc: the init waits for `start`, its namespaces and cgroup exist, and a process
        // can run next to it; the container stays `created`.
        bundle.setArgs(["sleep", "1000"])
        let id = makeID("created")
        _ = try createContainer(id)
        let result = exec(id, ["sh", "-c", "echo in-created"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "in-created\n")
        XCTAssertEqual(status(id), "created")
        deleteAndCheckLeaks(id)
    }

    func testExecIntoAStoppedContainerFails() throws {
        bundle.setArgs(["true"])
        let id = makeID("stopped")
        let pid = try createContainer(id)
        XCTAssertEqual(hull("start", id).status, 0)
        waitFor("the container to stop") { status(id) == "stopped" }
        XCTAssertFalse(ProcFS.isAlive(pid))
        assertOneLineFailure(exec(id, ["sleep", "772"]), mentioning: ["stopped", "not running"])
        XCTAssertEqual(status(id), "stopped")
        assertNoProcess(withArgsContaining: "sleep 772")
        deleteAndCheckLeaks(id)
    }

    func testExecIntoAnUnknownContainerFails() {
        let id = makeID("unknown")
        assertOneLineFailure(exec(id, ["true"]), mentioning: [id, "not exist"])
        assertNoStateDir(root: root.path, id: id)
    }

    func testExecIntoAPausedContainerNeedsIgnorePaused() throws {
        let id = makeID("paused")
        try startRunningContainer(id)
        XCTAssertEqual(hull("pause", id).status, 0)
        assertOneLineFailure(exec(id, ["sleep", "773"]), mentioning: ["paused"])
        assertNoProcess(withArgsContaining: "sleep 773")

        // With --ignore-paused the process is started in the frozen cgroup: it runs once the
        // container is resumed.
        let allowed = try hullInBackground(["exec", "--ignore-paused", id, "echo", "thawed"])
        usleep(300_000)
        XCTAssertEqual(hull("resume", id).status, 0)
        XCTAssertEqual(allowed.wait(timeout: 20), 0, allowed.stderr)
        XCTAssertEqual(allowed.stdout, "thawed\n")
        deleteAndCheckLeaks(id)
    }

    // MARK: what the exec'd process must not reach (CVE-2019-5736, CVE-2016-9962 classes)

    func testExecdProcessHoldsOnlyItsStdio() throws {
        let id = makeID("fds")
        try startRunningContainer(id)
        let result = execFromShell(setup: "exec 5</etc/hostname 7</etc/hostname", id, ["ls", "/proc/self/fd"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(outputLines(result.stdout), ["0", "1", "2", "3"], "stdio and ls's own directory stream")
        let targets = exec(id, ["sh", "-c", "for fd in /proc/self/fd/*; do readlink $fd; done"])
        XCTAssertFalse(targets.stdout.contains("/etc/hostname"), targets.stdout)
        XCTAssertFalse(targets.stdout.contains(root.path), "nothing under hull's state root: \(targets.stdout)")
        deleteAndCheckLeaks(id)
    }

    func testExecdProcessCwdAndRootAreInsideTheContainer() throws {
        let id = makeID("cwdroot")
        try startRunningContainer(id)
        let result = exec(id, ["sh", "-c", "readlink /proc/self/cwd; readlink /proc/self/root; ls /proc/self/cwd/rootfs 2>&1 || echo no-bundle"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(outputLines(result.stdout).prefix(2), ["/", "/"])
        XCTAssertEqual(outputLines(result.stdout).last, "no-bundle", "the cwd is not the bundle: \(result.stdout)")
        deleteAndCheckLeaks(id)
    }

    func testExecdProcessCannotReachAHullBinary() throws {
        // Every process the exec'd one can see runs the container's busybox: no hull process
        // (whose /proc/PID/exe would be hull's binary on the host) is left in the container's
        // pid namespace. Opening each exe for writing fails.
        let id = makeID("exe")
        try startRunningContainer(id)
        let script = """
            for p in /proc/[0-9]*; do readlink $p/exe; done | sort -u
            for p in /proc/[0-9]*; do if ( : 1<> $p/exe ) 2>/dev/null; then echo WRITABLE $p; fi; done
            echo end
            """
        let result = exec(id, ["sh", "-c", script])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(outputLines(result.stdout), ["/bin/busybox", "end"])

        // The foreground hull exec process itself, seen from inside by its host pid (handed in
        // through the container's /dev/shm), is not reachable either.
        let shm = "/proc/\(try XCTUnwrap(Int32(state(id)?["pid"] as? Int ?? 0)))/root/dev/shm"
        let waiting = try hullInBackground(["exec", id, "sh", "-c", """
            while [ ! -s /dev/shm/hullpid ]; do sleep 0.05; done; p=$(cat /dev/shm/hullpid)
            if ( : 1<> /proc/$p/exe ) 2>/dev/null; then echo WRITABLE; else echo refused; fi
            """])
        try "\(waiting.pid)\n".write(toFile: shm + "/hullpid", atomically: false, encoding: .utf8)
        XCTAssertEqual(waiting.wait(timeout: 20), 0, waiting.stderr)
        XCTAssertEqual(waiting.stdout, "refused\n")
        deleteAndCheckLeaks(id)
    }
}
