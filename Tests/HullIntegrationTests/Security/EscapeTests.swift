import Foundation
import Glibc
import XCTest

/// One test or more per class of runtime escape that has reached the host through runc or
/// crun: each performs the attack against the real binary and shows that the host is unharmed.
/// The table in docs/security.md maps each CVE to its test. (HardeningTests and ExecTests hold
/// the earlier ones: a non-dumpable init, a host fd as cwd with --preserve-fds 1, a symlinked
/// /dev/null, --cap and the inheritable set.)
final class EscapeTests: LifecycleTestCase {
    // MARK: CVE-2019-5736: overwriting the runtime's binary through /proc/PID/exe

    /// The full CVE-2019-5736 exploit through `exec`: the rootfs's /bin/evil is "#!/proc/self/exe"
    /// and its ELF interpreter is the attacker's program (testdata/attacks/exe_overwrite.c). hull's
    /// exec'd process runs /bin/evil, so the kernel executes hull's binary again as a container
    /// process running the attacker's code; it opens /proc/self/exe and then tries to write it.
    /// hull runs from a read-only mount of its binary (switched to in place): the write fails
    /// with EROFS.
    func testExecOfAProcSelfExeScriptCannotOverwriteHull() throws {
        let attack = try prepareExeAttack()
        bundle.setArgs(["sleep", "1000"])
        let id = makeID("exe-exec")
        XCTAssertEqual(attack.hull(["create", "--bundle", bundle.path, id]).status, 0)
        XCTAssertEqual(attack.hull(["start", id]).status, 0)
        let exec = attack.hull(["exec", id, "/bin/evil"])
        XCTAssertEqual(exec.status, 0, exec.stderr)
        try attack.assertRefused(self)
        deleteAndCheckLeaks(id)
    }

    /// The same attack when hull re-executes itself from the read-only clone instead of switching
    /// to it in place (HULL_SEAL=reexec; what hull does when the kernel refuses PR_SET_MM_MAP).
    func testExecOfAProcSelfExeScriptCannotOverwriteAReexecutedHull() throws {
        let attack = try prepareExeAttack()
        bundle.setArgs(["sleep", "1000"])
        let id = makeID("exe-reexec")
        XCTAssertEqual(attack.hull(["create", "--bundle", bundle.path, id], reexec: true).status, 0)
        XCTAssertEqual(attack.hull(["start", id]).status, 0)
        let exec = attack.hull(["exec", id, "/bin/evil"], reexec: true)
        XCTAssertEqual(exec.status, 0, exec.stderr)
        try attack.assertRefused(self)
        deleteAndCheckLeaks(id)
    }

    /// The same attack through the container's own process (create, then start: the init is
    /// hull's binary until its execve of /bin/evil). No pid namespace, so that the attacker's
    /// shell outlives the init.
    func testInitOfAProcSelfExeScriptCannotOverwriteHull() throws {
        let attack = try prepareExeAttack()
        bundle.removeNamespace("pid")
        bundle.setArgs(["/bin/evil"])
        let id = makeID("exe-init")
        XCTAssertEqual(attack.hull(["create", "--bundle", bundle.path, id]).status, 0)
        XCTAssertEqual(attack.hull(["start", id]).status, 0)
        try attack.assertRefused(self)
        deleteAndCheckLeaks(id)
    }

    /// A container sharing the host's pid namespace sees every process of hull on the host. It
    /// tries to open /proc/PID/exe of each one, for reading and for writing, over and over, while
    /// another container is created (with a startContainer hook from the rootfs that attacks its
    /// waiting init, pid 1, the moment it runs hull's binary), started, exec'd into and deleted.
    func testNoContainerProcessOpensHullsBinaryDuringCreateStartExecDelete() throws {
        let copy = try HullCopy(in: makeScratchDirectory("hullcopy"), from: runner.binary, root: root.path)
        let out = try makeScratchDirectory("exe-out")
        bundle.removeNamespace("pid")
        bundle.addBindMount(source: out, destination: "/out")
        bundle.setArgs(["sh", "-c", """
            while [ ! -e /out/stop ]; do
              for p in /proc/[0-9]*; do
                { echo "read $p $(readlink $p/exe)" >> /out/opened; } 3<"$p/exe" 2>/dev/null
                { echo "write $p $(readlink $p/exe)" >> /out/opened; } 3<>"$p/exe" 2>/dev/null
              done
              echo pass >> /out/passes
            done
            """])
        let watcher = makeID("exe-watch")
        XCTAssertEqual(copy.hull(["create", "--bundle", bundle.path, watcher]).status, 0)
        XCTAssertEqual(copy.hull(["start", watcher]).status, 0)
        waitFor("the watcher's first pass", timeout: 30) { (ProcFS.read(out + "/passes") ?? "").count > 0 }

        let target = try BusyboxBundle(args: ["sleep", "1000"])
        defer { target.remove() }
        let hookOut = try makeScratchDirectory("hook-out")
        target.addBindMount(source: hookOut, destination: "/out")
        target.config { config in
            config["hooks"] = ["startContainer": [["path": "/bin/sh", "args": ["sh", "-c", """
                if { :; } 3</proc/1/exe; then echo read-opened; else echo read-refused; fi >> /out/hook 2>&1
                if { :; } 3<>/proc/1/exe; then echo write-opened; else echo write-refused; fi >> /out/hook 2>&1
                """]]]]
        }
        for round in 0..<3 {
            let id = makeID("exe-target\(round)")
            XCTAssertEqual(copy.hull(["create", "--bundle", target.path, id]).status, 0)
            XCTAssertEqual(copy.hull(["start", id]).status, 0)
            for _ in 0..<3 {
                XCTAssertEqual(copy.hull(["exec", id, "true"]).status, 0)
            }
            XCTAssertEqual(copy.hull(["delete", "--force", id]).status, 0)
            assertNoLeaks(root: root.path, id: id, bundle: target.path)
        }
        let passesBefore = (ProcFS.read(out + "/passes") ?? "").count
        waitFor("one more pass of the watcher", timeout: 30) { (ProcFS.read(out + "/passes") ?? "").count > passesBefore }
        _ = FileManager.default.createFile(atPath: out + "/stop", contents: nil)
        deleteAndCheckLeaks(watcher)

        let opened = (ProcFS.read(out + "/opened") ?? "").split(separator: "\n").filter { $0.contains(copy.path) }
        XCTAssertEqual(opened, [], "a container process opened hull's binary")
        XCTAssertEqual(outputLines(ProcFS.read(hookOut + "/hook") ?? "").filter { !$0.contains("/proc/1/exe") },
                       Array(repeating: ["read-refused", "write-refused"], count: 3).flatMap { $0 },
                       "the startContainer hook could not open the waiting init's exe")
        XCTAssertTrue(copy.isUnchanged, "hull's binary on the host changed")
    }

    // MARK: CVE-2024-21626, CVE-2016-9962: a leaked host fd as the working directory

    /// Every fd from 3 to 10 open on a host directory when hull starts: process.cwd =
    /// /proc/self/fd/N fails create for each N, whether the fd is preserved or not.
    func testCwdThroughAnyLeakedFdFailsCreate() throws {
        let hostDir = try makeScratchDirectory("leaked")
        let opens = (3...10).map { "exec \($0)<\(hostDir)" }.joined(separator: "; ")
        bundle.setArgs(["touch", "escaped"])
        for fd in 3...10 {
            bundle.setCwd("/proc/self/fd/\(fd)")
            for preserve in [[], ["--preserve-fds", "8"]] {
                let id = makeID("cwd\(fd)")
                let result = ChildProcess.run("/bin/bash", ["-c", opens + "; exec \"$0\" \"$@\"", runner.binary,
                                                          "--root", root.path, "create"] + preserve + ["--bundle", bundle.path, id])
                assertOneLineFailure(result, mentioning: ["cwd"])
                assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
            }
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: hostDir), [], "nothing was written on the host")
    }

    /// `exec --cwd /proc/self/fd/N` with fds 3..10 open on a host directory: refused for each N,
    /// with --preserve-fds too.
    func testExecCwdThroughAnyLeakedFdFails() throws {
        let hostDir = try makeScratchDirectory("leaked-exec")
        let id = makeID("execcwd")
        try startRunningContainer(id)
        let opens = (3...10).map { "exec \($0)<\(hostDir)" }.joined(separator: "; ")
        for fd in 3...10 {
            for preserve in [[], ["--preserve-fds", "8"]] {
                let result = ChildProcess.run("/bin/bash", ["-c", opens + "; exec \"$0\" \"$@\"", runner.binary, "--root", root.path,
                                                            "exec", "--cwd", "/proc/self/fd/\(fd)"] + preserve + [id, "touch", "escaped"])
                assertOneLineFailure(result, mentioning: ["cwd"])
            }
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: hostDir), [], "nothing was written on the host")
        XCTAssertEqual(status(id), "running")
        deleteAndCheckLeaks(id)
    }

    // MARK: CVE-2021-30465: symlinks on mount destinations

    /// Mount destinations that are symlinks to a host path (absolute, or relative with more ".."
    /// than the rootfs is deep): the mounts land inside the rootfs, the host path is untouched.
    func testMountDestinationSymlinksToTheHostStayInsideTheRootfs() throws {
        let host = try makeScratchDirectory("host-target")
        let hostToo = try makeScratchDirectory("host-target-too")
        let source = try makeScratchDirectory("mount-source")
        try "from-source\n".write(toFile: source + "/marker", atomically: false, encoding: .utf8)
        XCTAssertEqual(symlink(host, bundle.rootfs + "/absolute"), 0)
        XCTAssertEqual(symlink(String(repeating: "../", count: 12) + hostToo.dropFirst(), bundle.rootfs + "/relative"), 0)
        bundle.addBindMount(source: source, destination: "/absolute")
        bundle.addMount(destination: "/relative", type: "tmpfs", source: "tmpfs")
        let result = runContainer(["sh", "-c", "cat /absolute/marker; grep -c ' tmpfs ' /proc/self/mountinfo >/dev/null && echo ok"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(outputLines(result.stdout), ["from-source", "ok"])
        for path in [host, hostToo] {
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: path), [], "nothing mounted or made on the host path")
            XCTAssertTrue(FileManager.default.fileExists(atPath: bundle.rootfs + path),
                          "the dangling link's target was made inside the rootfs")
            XCTAssertEqual(MountTable.mountPoints(under: path), [])
        }
    }

    /// The race of CVE-2021-30465: while containers are created with a tmpfs on /vol/x, where /vol
    /// is a shared host directory, the host swaps /vol/x between a directory and symlinks to "/"
    /// and to the host's /etc. Every create succeeds or fails with one line; nothing appears on
    /// the host's /etc, and a container that starts sees its tmpfs inside its own root.
    func testSwappingAMountDestinationForASymlinkDoesNotEscape() throws {
        let volume = try makeScratchDirectory("volume")
        bundle.addBindMount(source: volume, destination: "/vol")
        bundle.addMount(destination: "/vol/x", type: "tmpfs", source: "tmpfs")
        bundle.setArgs(["sh", "-c", "ls /etc/passwd >/dev/null && echo inside"])
        let etcBefore = try FileManager.default.contentsOfDirectory(atPath: "/etc").sorted()
        let swapper = try ChildProcess("/bin/sh", ["-c", """
            cd \(volume); end=$(( $(date +%s) + 20 ))
            while [ $(date +%s) -lt $end ]; do
              rm -rf x; mkdir x; rm -rf x; ln -s / x; rm -f x; ln -s /etc x; rm -f x; ln -s ../../../../../../etc x
            done
            """])
        defer { swapper.send(SIGKILL); _ = swapper.wait(timeout: 5) }
        for round in 0..<15 {
            let id = makeID("race\(round)")
            let result = hull(["run", "--bundle", bundle.path, id])
            if result.status == 0 {
                XCTAssertEqual(result.stdout, "inside\n", "the container's own /etc")
            } else {
                assertOneLineFailure(result)
            }
            assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: "/etc").sorted(), etcBefore)
        XCTAssertEqual(MountTable.mountPoints(under: "/etc").filter { !MountTable.mountPoints().contains($0) }, [])
        XCTAssertFalse(MountTable.mountPoints().contains("/etc"), "no tmpfs over the host's /etc")
    }

    /// A rootfs whose /proc is a symlink (to its /etc, or to a host directory): procfs is only
    /// mounted on an ordinary directory, as in runc; create fails and nothing is mounted.
    func testProcAsASymlinkIsRefused() throws {
        let host = try makeScratchDirectory("host-proc")
        for target in ["/etc", host] {
            try FileManager.default.removeItem(atPath: bundle.rootfs + "/proc")
            XCTAssertEqual(symlink(target, bundle.rootfs + "/proc"), 0)
            let id = makeID("procsym")
            bundle.setArgs(["true"])
            let result = hull("run", "--bundle", bundle.path, id)
            assertOneLineFailure(result, mentioning: ["must be an ordinary directory, not a symlink"])
            assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: host), [])
        XCTAssertEqual(MountTable.mountPoints(under: host), [])
    }

    // MARK: CVE-2019-16884, CVE-2023-27561, CVE-2023-28642, CVE-2025-52881: a fake procfs

    /// A bind mount of a host directory over /proc, or over /proc/sys, with a fake
    /// sys/net/ipv4/ip_forward: the sysctl is not written into that (host) file, create fails
    /// naming the sysctl and procfs.
    func testSysctlIsNotWrittenThroughAFakeProcfs() throws {
        let fake = try makeScratchDirectory("fakeproc")
        try FileManager.default.createDirectory(atPath: fake + "/sys/net/ipv4", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: fake + "/net/ipv4", withIntermediateDirectories: true)
        for file in [fake + "/sys/net/ipv4/ip_forward", fake + "/net/ipv4/ip_forward"] {
            try "original\n".write(toFile: file, atomically: false, encoding: .utf8)
        }
        bundle.editLinux { $0["sysctl"] = ["net.ipv4.ip_forward": "1"] }
        for (destination, tag) in [("/proc", "over-proc"), ("/proc/sys", "over-sys")] {
            let attempt = try BusyboxBundle()
            defer { attempt.remove() }
            attempt.config { $0 = bundle.configJSON }
            attempt.addBindMount(source: destination == "/proc" ? fake : fake + "/sys", destination: destination)
            let id = makeID(tag)
            let result = hull("run", "--bundle", attempt.path, id)
            assertOneLineFailure(result, mentioning: ["not on procfs"])
            XCTAssertTrue(result.stderr.contains("sysctl net.ipv4.ip_forward"), result.stderr)
            assertNoLeaks(root: root.path, id: id, bundle: attempt.path)
        }
        XCTAssertEqual(ProcFS.read(fake + "/sys/net/ipv4/ip_forward"), "original\n")
        XCTAssertEqual(ProcFS.read(fake + "/net/ipv4/ip_forward"), "original\n")
    }

    /// The same sysctl with the real procfs is written (the check does not refuse procfs).
    func testSysctlOnTheRealProcfsIsWritten() throws {
        bundle.editLinux { $0["sysctl"] = ["net.ipv4.ip_forward": "1"] }
        let result = runContainer(["cat", "/proc/sys/net/ipv4/ip_forward"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "1\n")
    }

    // MARK: CVE-2025-31133, CVE-2025-52565: /dev/null and /dev/console replaced

    /// /dev/null as a regular file, a directory or another character device (zero, 1:5): the
    /// masked paths are refused, nothing is bound from it.
    func testMaskingRefusesADevNullThatIsAFileADirectoryOrAnotherDevice() throws {
        for kind in ["file", "directory", "device"] {
            let dev = try makeScratchDirectory("fakedev-\(kind)")
            switch kind {
            case "file": try "not null\n".write(toFile: dev + "/null", atomically: false, encoding: .utf8)
            case "directory": try FileManager.default.createDirectory(atPath: dev + "/null", withIntermediateDirectories: false)
            default: XCTAssertEqual(mknod(dev + "/null", S_IFCHR | 0o666, dev_t(1 << 8 | 5)), 0) // /dev/zero, 1:5
            }
            let attempt = try BusyboxBundle()
            defer { attempt.remove() }
            attempt.addBindMount(source: dev, destination: "/dev")
            attempt.editLinux { $0["maskedPaths"] = ["/proc/kcore", "/proc/timer_list"] }
            let id = makeID("null-\(kind)")
            let result = hull("run", "--bundle", attempt.path, id)
            if kind == "directory" {
                assertOneLineFailure(result)
            } else {
                assertOneLineFailure(result, mentioning: ["/dev/null is not the null device"])
            }
            assertNoLeaks(root: root.path, id: id, bundle: attempt.path)
            if kind == "file" {
                XCTAssertEqual(ProcFS.read(dev + "/null"), "not null\n")
            }
        }
    }

    /// /dev/console as a symlink to a procfs file (core_pattern) or to a host file, or as a
    /// directory: the pty is not bound over it, create fails with one line, the files are
    /// unchanged.
    func testConsoleBindRefusesASymlinkOrDirectory() throws {
        let corePattern = ProcFS.read("/proc/sys/kernel/core_pattern")
        let hostFile = try makeScratchDirectory("console-target") + "/file"
        try "host\n".write(toFile: hostFile, atomically: false, encoding: .utf8)
        for kind in ["core_pattern", "hostfile", "directory"] {
            let dev = try makeScratchDirectory("consoledev")
            switch kind {
            case "core_pattern": XCTAssertEqual(symlink("/proc/sys/kernel/core_pattern", dev + "/console"), 0)
            case "hostfile": XCTAssertEqual(symlink(hostFile, dev + "/console"), 0)
            default: try FileManager.default.createDirectory(atPath: dev + "/console", withIntermediateDirectories: false)
            }
            XCTAssertEqual(symlink("pts/ptmx", dev + "/ptmx"), 0)
            let attempt = try BusyboxBundle(args: ["true"])
            defer { attempt.remove() }
            attempt.setTerminal(true)
            attempt.config { config in
                // /dev is the attacker's directory instead of a fresh tmpfs; devpts still on /dev/pts.
                let mounts = config["mounts"] as? [[String: Any]] ?? []
                config["mounts"] = mounts.map { mount in
                    mount["destination"] as? String == "/dev"
                        ? ["destination": "/dev", "type": "bind", "source": dev, "options": ["rbind"]] : mount
                }
            }
            let socketDirectory = try makeScratchDirectory("console-socket")
            let receiver = try ConsoleSocketReceiver(directory: socketDirectory)
            let id = makeID("console-\(kind)")
            let result = hull("create", "--bundle", attempt.path, "--console-socket", receiver.path, id)
            assertOneLineFailure(result, mentioning: ["console"])
            assertNoLeaks(root: root.path, id: id, bundle: attempt.path)
        }
        XCTAssertEqual(ProcFS.read("/proc/sys/kernel/core_pattern"), corePattern)
        XCTAssertEqual(ProcFS.read(hostFile), "host\n")
    }

    // CVE-2023-25809 (a writable host cgroup in a rootless container):
    // RootlessTests.testTheHostsCgroupsAndSysStayReadOnly.

    // MARK: helpers

    /// Installs the CVE-2019-5736 attack in the bundle (testdata/attacks/exe_overwrite.c as the
    /// rootfs's ELF interpreter, /bin/evil as a "#!/proc/self/exe" script, /out for its log)
    /// and a copy of hull to attack.
    private func prepareExeAttack() throws -> ExeAttack {
        let copy = try HullCopy(in: makeScratchDirectory("hullcopy"), from: runner.binary, root: root.path)
        let out = try makeScratchDirectory("attack-out")
        let interpreter = bundle.rootfs + ExeAttack.interpreterPath
        try FileManager.default.createDirectory(atPath: (interpreter as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        let source = HullRunner.packageDirectory + "/testdata/attacks/exe_overwrite.c"
        let compile = ChildProcess.run("/usr/bin/env", ["clang", "-O2", "-ffreestanding", "-nostdlib", "-static-pie", "-fPIE",
                                                        "-fno-stack-protector", "-mgeneral-regs-only", "-fuse-ld=lld",
                                                        "-o", interpreter, source])
        XCTAssertEqual(compile.status, 0, "compile \(source): \(compile.stderr)")
        try "#!/proc/self/exe\n".write(toFile: bundle.rootfs + "/bin/evil", atomically: false, encoding: .utf8)
        XCTAssertEqual(chmod(bundle.rootfs + "/bin/evil", 0o755), 0)
        bundle.addBindMount(source: out, destination: "/out")
        return ExeAttack(copy: copy, out: out)
    }
}

/// A copy of hull in a scratch directory, run instead of the build output so that an attack
/// that succeeded would only damage the copy; `isUnchanged` compares its SHA-256.
struct HullCopy {
    let path: String
    let root: String
    private let checksum: String

    init(in directory: String, from binary: String, root: String) throws {
        path = directory + "/hull"
        self.root = root
        try FileManager.default.copyItem(atPath: binary, toPath: path)
        checksum = try Self.sha256(path)
    }

    var isUnchanged: Bool {
        (try? Self.sha256(path)) == checksum
    }

    /// `COPY --root ROOT ARGS` to completion; with `reexec`, HULL_SEAL=reexec in its environment.
    func hull(_ args: [String], reexec: Bool = false) -> (status: Int32, stdout: String, stderr: String) {
        reexec ? ChildProcess.run("/usr/bin/env", ["HULL_SEAL=reexec", path, "--root", root] + args)
               : ChildProcess.run(path, ["--root", root] + args)
    }

    private static func sha256(_ path: String) throws -> String {
        let result = ChildProcess.run("/usr/bin/sha256sum", [path])
        guard result.status == 0, let sum = result.stdout.split(separator: " ").first else {
            throw HarnessError("sha256sum \(path): \(result.stderr)")
        }
        return String(sum)
    }
}

/// The CVE-2019-5736 attack installed in a bundle: the copy of hull it targets and the
/// directory it reports to.
struct ExeAttack {
    let copy: HullCopy
    let out: String

    #if arch(x86_64)
    static let interpreterPath = "/lib64/ld-linux-x86-64.so.2"
    #else
    static let interpreterPath = "/lib/ld-linux-aarch64.so.1"
    #endif

    func hull(_ args: [String], reexec: Bool = false) -> (status: Int32, stdout: String, stderr: String) {
        copy.hull(args, reexec: reexec)
    }

    /// Waits for the attacker to give up, then checks that it did get hold of hull's binary
    /// (so the attack really ran), that every write was refused as read-only, and that the
    /// binary is unchanged.
    func assertRefused(_ test: LifecycleTestCase, file: StaticString = #filePath, line: UInt = #line) throws {
        test.waitFor("the attacker to finish", timeout: 30, file: file, line: line) {
            let log = ProcFS.read(out + "/log") ?? ""
            return log.contains("gave-up") || log.contains("overwrote") || log.contains("failed")
        }
        let log = test.outputLines(ProcFS.read(out + "/log") ?? "")
        XCTAssertEqual(log, ["opened-exe", "gave-up"], "the attacker held hull's binary and could not write it", file: file, line: line)
        XCTAssertTrue((ProcFS.read(out + "/error") ?? "").contains("Read-only file system"),
                      "the write failed as read-only: \(ProcFS.read(out + "/error") ?? "")", file: file, line: line)
        XCTAssertTrue(copy.isUnchanged, "hull's binary on the host was overwritten", file: file, line: line)
    }
}
