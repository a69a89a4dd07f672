import Foundation
import Glibc
import XCTest

/// `hull checkpoint` and `hull restore` with CRIU. CRIU 3.17 works only in the cgroup v2 guest
/// (Debian's 6.1 kernel, `make test-cgroupv2`); on the 6.18 development hosts its kernel
/// detection fails, and there the same tests check hull's one-line error instead.
///
/// The container's stdio are pipes (a file opened outside the container cannot be dumped):
/// `: | hull ... 2>&1 | cat > OUT`. The containers have their own network namespace, which CRIU
/// dumps and restores (its conntrack dump needs the guest's nf_conntrack_netlink module), except
/// the `--leave-running` one, which shares the host's.
final class CheckpointTests: LifecycleTestCase {
    /// Whether CRIU can work on this kernel (the guest's 6.1).
    private var criuWorks: Bool {
        ((try? String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8)) ?? "").hasPrefix("6.1.")
    }

    private func startCounter(_ id: String, out: String, hostNetwork: Bool = false,
                              script: String = "i=0; while true; do echo $i; i=$((i+1)); sleep 0.1; done") throws -> ChildProcess {
        bundle.setArgs(["sh", "-c", script])
        if hostNetwork { bundle.removeNamespace("network") }
        let created = try ChildProcess("/bin/sh", ["-c", ": | \"$0\" --root \"$1\" create --bundle \"$2\" \"$3\" 2>&1 | cat > \"$4\"",
                                                   runner.binary, root.path, bundle.path, id, out])
        waitFor("create \(id)", timeout: 20) { status(id) == "created" }
        XCTAssertEqual(hull("start", id).status, 0)
        waitFor("the count", timeout: 20) { lines(out).count >= 3 }
        return created
    }

    private func lines(_ path: String) -> [Int] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { Int($0) }
    }

    func testCheckpointStopsTheContainerAndRestoreContinuesTheCount() throws {
        let id = makeID("ckpt")
        let scratch = try makeScratchDirectory("ckpt")
        let images = scratch + "/images"
        let creator = try startCounter(id, out: scratch + "/out1")
        let pid = try XCTUnwrap(state(id)?["pid"] as? Int)

        let checkpoint = hull("checkpoint", "--image-path", images, id)
        guard criuWorks else {
            XCTAssertEqual(checkpoint.status, 1)
            XCTAssertTrue(checkpoint.stderr.contains("CRIU does not work on this kernel"), checkpoint.stderr)
            XCTAssertTrue(checkpoint.stderr.contains("criu check"), checkpoint.stderr)
            XCTAssertEqual(checkpoint.stderr.split(separator: "\n").count, 1, checkpoint.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: images), "a failed checkpoint leaves no image directory")
            XCTAssertEqual(status(id), "running")
            deleteAndCheckLeaks(id)
            return
        }
        XCTAssertEqual(checkpoint.status, 0, checkpoint.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: images + "/inventory.img"))
        let saved = try String(contentsOfFile: images + "/descriptors.json", encoding: .utf8)
        XCTAssertTrue(saved.contains("pipe:["), saved)
        waitFor("the checkpointed process to go") { !ProcFS.isAlive(Int32(pid)) }
        XCTAssertNil(state(id), "the container is gone after checkpoint")
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
        _ = creator.wait(timeout: 10)
        let last = try XCTUnwrap(lines(scratch + "/out1").last)

        let out2 = scratch + "/out2"
        let restorer = try restore(id, images: images, out: out2)
        waitFor("the restored count", timeout: 30) { lines(out2).count >= 3 }
        XCTAssertEqual(lines(out2).first, last + 1, "the count goes on where it stopped")
        XCTAssertEqual(status(id), "running")
        let restoredPid = try XCTUnwrap(state(id)?["pid"] as? Int)
        XCTAssertTrue(ProcFS.commandLine(Int32(restoredPid)).starts(with: ["sh", "-c"]))

        let exec = hull("exec", id, "cat", "/proc/1/cmdline")
        XCTAssertEqual(exec.status, 0, exec.stderr)
        XCTAssertTrue(exec.stdout.hasPrefix("sh\0-c"), exec.stdout)
        XCTAssertEqual(hull("pause", id).status, 0)
        XCTAssertEqual(status(id), "paused")
        XCTAssertEqual(hull("resume", id).status, 0)
        XCTAssertEqual(hull("kill", id, "KILL").status, 0)
        waitFor("the restored init to die") { status(id) == "stopped" }
        XCTAssertEqual(hull("delete", id).status, 0)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
        _ = restorer.wait(timeout: 10)
    }

    func testLeaveRunningKeepsTheContainer() throws {
        let id = makeID("ckleave")
        let scratch = try makeScratchDirectory("ckleave")
        let creator = try startCounter(id, out: scratch + "/out", hostNetwork: true)
        let pid = try XCTUnwrap(state(id)?["pid"] as? Int)
        let checkpoint = hull("checkpoint", "--leave-running", "--image-path", scratch + "/images", id)
        if criuWorks {
            XCTAssertEqual(checkpoint.status, 0, checkpoint.stderr)
            XCTAssertTrue(FileManager.default.fileExists(atPath: scratch + "/images/inventory.img"))
        } else {
            XCTAssertEqual(checkpoint.status, 1)
        }
        XCTAssertEqual(status(id), "running")
        XCTAssertEqual(state(id)?["pid"] as? Int, pid)
        let before = lines(scratch + "/out").count
        waitFor("the count to go on") { lines(scratch + "/out").count > before + 2 }
        deleteAndCheckLeaks(id)
        _ = creator.wait(timeout: 10)
    }

    /// A TCP connection inside the container (busybox nc to nc over its own loopback, the count
    /// sent through it): without `--tcp-established` the checkpoint fails with CRIU's reason and
    /// the container keeps running; with it, the connection is dumped and restored, and the
    /// count goes on arriving through the same connection.
    func testAnEstablishedTCPConnectionNeedsTheFlagAndSurvivesRestore() throws {
        let id = makeID("cktcp")
        let scratch = try makeScratchDirectory("cktcp")
        bundle.config { config in
            var process = config["process"] as? [String: Any] ?? [:]
            var capabilities = process["capabilities"] as? [String: [String]] ?? [:]
            for set in ["bounding", "effective", "permitted"] { capabilities[set, default: []].append("CAP_NET_ADMIN") }
            process["capabilities"] = capabilities
            config["process"] = process
        }
        let creator = try startCounter(id, out: scratch + "/out1", script: """
            ip link set lo up
            sleep 100000 | nc -l -p 5000 | while read n; do echo "$n"; done &
            sleep 1
            i=0; while true; do echo $i; i=$((i+1)); sleep 0.1; done | nc 127.0.0.1 5000
            """)
        let images = scratch + "/images"
        let refused = hull("checkpoint", "--image-path", images, id)
        XCTAssertEqual(refused.stderr.split(separator: "\n").count, 1, refused.stderr)
        guard criuWorks else {
            assertRefusedOnThisKernel(refused, id)
            return
        }
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.hasPrefix("checkpoint: criu failed: inet: Connected TCP socket, consider using --tcp-established option."),
                      refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: images), "a failed checkpoint leaves no image directory")
        XCTAssertEqual(status(id), "running")
        let before = lines(scratch + "/out1").count
        waitFor("the count to go on after the refusal") { lines(scratch + "/out1").count > before + 2 }

        let checkpoint = hull("checkpoint", "--tcp-established", "--image-path", images, id)
        XCTAssertEqual(checkpoint.status, 0, checkpoint.stderr)
        XCTAssertNil(state(id), "the container is gone after checkpoint")
        _ = creator.wait(timeout: 10)
        try assertRestoreContinues(id, images: images, last: XCTUnwrap(lines(scratch + "/out1").last), out: scratch + "/out2",
                                   flags: ["--tcp-established"])
    }

    /// Iterative migration: `--pre-dump` copies the memory while the container runs on, a
    /// dump with `--parent-path` then writes only what changed since, and the restore from it
    /// (reading the unchanged pages through the parent link) continues the count.
    func testPreDumpThenDumpOnTopOfItRestores() throws {
        let id = makeID("ckpre")
        let scratch = try makeScratchDirectory("ckpre")
        let creator = try startCounter(id, out: scratch + "/out1")
        let preDump = hull("checkpoint", "--pre-dump", "--image-path", scratch + "/1", id)
        guard criuWorks else {
            assertRefusedOnThisKernel(preDump, id)
            return
        }
        XCTAssertEqual(preDump.status, 0, preDump.stderr)
        XCTAssertEqual(status(id), "running", "a pre-dump leaves the container running")
        XCTAssertTrue(holdsPages(scratch + "/1"), "the pre-dump holds pages")
        let before = lines(scratch + "/out1").count
        waitFor("the count to go on after the pre-dump") { lines(scratch + "/out1").count > before + 2 }

        let dump = hull("checkpoint", "--parent-path", "../1", "--image-path", scratch + "/2", id)
        XCTAssertEqual(dump.status, 0, dump.stderr)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: scratch + "/2/parent"), "../1")
        XCTAssertNil(state(id), "the container is gone after the dump")
        _ = creator.wait(timeout: 10)
        try assertRestoreContinues(id, images: scratch + "/2", last: XCTUnwrap(lines(scratch + "/out1").last), out: scratch + "/out2")
    }

    /// `--page-server IP:PORT`: the memory goes to a `criu page-server` over TCP (here one that
    /// writes into the same image directory, as on the destination host of a migration), the
    /// rest of the images to `--image-path`; the restore from them continues the count.
    func testPagesSentToAPageServerRestore() throws {
        let (id, scratch, images, creator) = try startCounterWithImageDirectory("ckps")
        let port = 27_000 + Int(getpid() % 1000)
        guard criuWorks else {
            assertRefusedOnThisKernel(hull("checkpoint", "--page-server", "127.0.0.1:\(port)", "--image-path", images, id), id)
            return
        }
        let server = try ChildProcess("/usr/sbin/criu", ["page-server", "--images-dir", images, "--port", "\(port)"])
        defer { server.send(SIGKILL); _ = server.wait(timeout: 10) }
        // The server listens once it has set up; a dump before that finds no one to connect to.
        let listening = String(format: ":%04X 0+:0000 0A", port)
        waitFor("the page server to listen", timeout: 20) {
            ["/proc/net/tcp", "/proc/net/tcp6"].contains { table in
                ((try? String(contentsOfFile: table, encoding: .utf8)) ?? "").range(of: listening, options: .regularExpression) != nil
            }
        }
        let checkpoint = hull("checkpoint", "--page-server", "127.0.0.1:\(port)", "--image-path", images, id)
        XCTAssertEqual(checkpoint.status, 0, checkpoint.stderr)
        XCTAssertNil(state(id), "the container is gone after the dump")
        XCTAssertNotNil(server.wait(timeout: 20), "the page server ends with the dump")
        XCTAssertTrue(holdsPages(images), "the page server wrote the pages")
        _ = creator.wait(timeout: 10)
        try assertRestoreContinues(id, images: images, last: XCTUnwrap(lines(scratch + "/out1").last), out: scratch + "/out2")
    }

    /// Post-copy migration, as runc's tests do it: `checkpoint --lazy-pages --page-server` dumps
    /// everything but the memory and then serves the pages (it writes a NUL to `--status-fd` once
    /// it listens), `criu lazy-pages` fetches them for the restoring side, and `restore
    /// --lazy-pages` (as a new container) starts the count again before its memory has arrived;
    /// the checkpoint ends once every page is sent.
    func testLazyPagesRestoreWhileTheMemoryIsServed() throws {
        let (id, scratch, images, creator) = try startCounterWithImageDirectory("cklazy")
        let port = 28_000 + Int(getpid() % 1000)
        let lazy = ["checkpoint", "--lazy-pages", "--page-server", "127.0.0.1:\(port)", "--image-path", images]
        guard criuWorks else {
            assertRefusedOnThisKernel(hull(lazy + [id]), id)
            return
        }
        let statusFile = scratch + "/status"
        let dumper = try ChildProcess("/bin/sh", ["-c", "exec 3>\"$0\"; exec \"$@\"", statusFile, runner.binary, "--root", root.path]
                                      + lazy + ["--status-fd", "3", id])
        waitFor("the lazy page server to be ready", timeout: 30) {
            (try? FileManager.default.attributesOfItem(atPath: statusFile)[.size] as? Int) == 1
        }
        let daemon = try ChildProcess("/usr/sbin/criu", ["lazy-pages", "--page-server", "--address", "127.0.0.1",
                                                         "--port", "\(port)", "--images-dir", images])
        defer { daemon.send(SIGKILL); _ = daemon.wait(timeout: 10) }
        let last = try XCTUnwrap(lines(scratch + "/out1").last)
        let restoredID = makeID("cklazy-restored")
        let out2 = scratch + "/out2"
        let restorer = try restore(restoredID, images: images, out: out2, flags: ["--lazy-pages"])
        waitFor("the restored count", timeout: 30) { lines(out2).count >= 3 }
        XCTAssertEqual(lines(out2).first, last + 1, "the count goes on where it stopped: \(lines(out2).prefix(3))")
        XCTAssertEqual(dumper.wait(timeout: 30), 0, "the checkpoint ends once the pages are sent: \(dumper.stderr)")
        XCTAssertNil(state(id), "the checkpointed container is gone")
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
        XCTAssertEqual(status(restoredID), "running")
        deleteAndCheckLeaks(restoredID)
        _ = restorer.wait(timeout: 10)
        _ = creator.wait(timeout: 10)
    }

    /// A counting container (its output in SCRATCH/out1) and an empty SCRATCH/images.
    private func startCounterWithImageDirectory(_ tag: String) throws
        -> (id: String, scratch: String, images: String, creator: ChildProcess) {
        let id = makeID(tag)
        let scratch = try makeScratchDirectory(tag)
        XCTAssertEqual(mkdir(scratch + "/images", 0o700), 0)
        return (id, scratch, scratch + "/images", try startCounter(id, out: scratch + "/out1"))
    }

    /// Whether an image directory holds dumped memory (CRIU's pages-N.img).
    private func holdsPages(_ directory: String) -> Bool {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).contains { $0.hasPrefix("pages-") }
    }

    /// Off the guest: `result` is the one-line "CRIU does not work on this kernel" error, and the
    /// container, running on, is deleted with nothing left behind.
    private func assertRefusedOnThisKernel(_ result: (status: Int32, stdout: String, stderr: String), _ id: String,
                                           file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(result.status, 1, file: file, line: line)
        XCTAssertTrue(result.stderr.contains("CRIU does not work on this kernel"), result.stderr, file: file, line: line)
        XCTAssertEqual(status(id), "running", file: file, line: line)
        deleteAndCheckLeaks(id, file: file, line: line)
    }

    /// `hull restore -d FLAGS --image-path IMAGES --bundle BUNDLE ID`, started, with nothing on
    /// stdin and its output (the restored init's new stdio) through a pipe into `out`.
    private func restore(_ id: String, images: String, out: String, flags: [String] = []) throws -> ChildProcess {
        try ChildProcess("/bin/sh", ["-c", "hull=$0 root=$1 out=$2; shift 2; : | \"$hull\" --root \"$root\" restore -d \"$@\" 2>&1 | cat > \"$out\"",
                                     runner.binary, root.path, out] + flags + ["--image-path", images, "--bundle", bundle.path, id])
    }

    /// Restores `id` from `images` (with `flags`), checks the count goes on from `last` in
    /// `out`, and deletes the container.
    private func assertRestoreContinues(_ id: String, images: String, last: Int, out: String, flags: [String] = [],
                                        file: StaticString = #filePath, line: UInt = #line) throws {
        let restorer = try restore(id, images: images, out: out, flags: flags)
        waitFor("the restored count", timeout: 30) { lines(out).count >= 3 }
        XCTAssertEqual(lines(out).first, last + 1, "the count goes on where it stopped: \(lines(out).prefix(3))", file: file, line: line)
        XCTAssertEqual(status(id), "running", file: file, line: line)
        deleteAndCheckLeaks(id, file: file, line: line)
        _ = restorer.wait(timeout: 10)
    }

    /// The errors that need no working CRIU: each one line, exit 1, nothing left behind.
    func testErrorsAreOneLineAndLeaveNothing() throws {
        let scratch = try makeScratchDirectory("ckerr")
        let id = makeID("ckerr")
        _ = try createContainer(id)

        let notRunning = hull("checkpoint", "--image-path", scratch + "/img", id)
        XCTAssertEqual(notRunning.status, 1)
        XCTAssertEqual(notRunning.stderr, "cannot checkpoint container \(id): it is created, not running\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch + "/img"))

        let noCriu = ChildProcess.run("/usr/bin/env", ["PATH=/nonexistent", runner.binary, "--root", root.path,
                                                       "checkpoint", "--image-path", scratch + "/img", id])
        XCTAssertEqual(noCriu.status, 1)
        XCTAssertTrue(noCriu.stderr.hasPrefix("CRIU is not installed: no \"criu\" in PATH"), noCriu.stderr)
        XCTAssertEqual(noCriu.stderr.split(separator: "\n").count, 1)

        let notCheckpoint = hull("restore", "--image-path", scratch, "--bundle", bundle.path, "restored-\(id)")
        XCTAssertEqual(notCheckpoint.status, 1)
        XCTAssertEqual(notCheckpoint.stderr, "--image-path \(scratch): not a checkpoint (no inventory.img)\n")
        assertNoStateDir(root: root.path, id: "restored-\(id)")

        let rootless = ChildProcess.run("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups",
                                                             runner.binary, "--root", root.path, "checkpoint", id])
        XCTAssertEqual(rootless.status, 1)
        XCTAssertTrue(rootless.stderr.hasPrefix("checkpoint needs root: CRIU cannot checkpoint a container for a rootless caller"),
                      rootless.stderr)
        XCTAssertEqual(status(id), "created")
        deleteAndCheckLeaks(id)
    }
}
