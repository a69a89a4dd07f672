import Foundation
import Glibc
import XCTest

/// `process.terminal`: the pty sent over `--console-socket` (create, exec --detach), the
/// foreground proxy of `run` and `exec -t` driven through a pseudo-terminal of the test's own,
/// window-size forwarding, stdio pass-through without a terminal, and the errors.
final class TerminalTests: LifecycleTestCase {
    /// Types one shell command per query (`["T": "tty"]` becomes `echo T:$(tty):T`), then a
    /// marker, and returns what each printed: ["T": "/dev/pts/0"]. The tagged form tells a
    /// command's output from the echo of the typed line (which shows `$(tty)`, not its value);
    /// short lines keep busybox's line editing from redrawing them.
    private func ask(_ master: PtyMaster, _ queries: [String: String]) throws -> [String: String] {
        for (tag, command) in queries.sorted(by: { $0.key < $1.key }) {
            try master.write("echo \(tag):$(\(command)):\(tag)\n")
        }
        let (marker, output) = PtyMaster.marker("END")
        try master.write("echo \(marker)\n")
        var answers: [String: String] = [:]
        for line in outputLines(try master.read(until: output)) {
            for tag in queries.keys where line.hasPrefix(tag + ":") && line.hasSuffix(":" + tag) && line.count > 2 * tag.count + 1 {
                answers[tag] = String(line.dropFirst(tag.count + 1).dropLast(tag.count + 1))
            }
        }
        return answers
    }

    // MARK: --console-socket

    func testCreateSendsThePtyMasterOverTheConsoleSocket() throws {
        bundle.setTerminal(true)
        bundle.setArgs(["sh"])
        setProcessField("consoleSize", ["height": 30, "width": 100])
        let receiver = try ConsoleSocketReceiver(directory: try makeScratchDirectory("console"))
        let id = makeID("console")
        let create = try hullInBackground(["create", "--console-socket", receiver.path, "--bundle", bundle.path, id])
        let master = try receiver.receiveMaster()
        XCTAssertEqual(create.wait(timeout: 30), 0, create.stderr)
        XCTAssertEqual(hull("start", id).status, 0)

        let answers = try ask(master, ["T": "tty", "S": "stty size", "C": "stat -c %t:%T /dev/console",
                                       "P": "stat -c %t:%T $(tty)"])
        XCTAssertTrue(answers["T"]?.hasPrefix("/dev/pts/") == true, "tty prints a /dev/pts path: \(answers)")
        XCTAssertEqual(answers["S"], "30 100", "consoleSize sets the window size")
        XCTAssertNotNil(answers["C"])
        XCTAssertEqual(answers["C"], answers["P"], "/dev/console is the pty")
        XCTAssertTrue(master.transcript.contains("\r\n"), "the pty's output processing (ONLCR) is on")

        try master.write("exit 5\n")
        waitFor("the shell to exit") { status(id) == "stopped" }
        deleteAndCheckLeaks(id)
    }

    func testRunDetachSendsThePtyMaster() throws {
        bundle.setTerminal(true)
        bundle.setArgs(["sh"])
        let receiver = try ConsoleSocketReceiver(directory: try makeScratchDirectory("console"))
        let id = makeID("rundetach")
        let run = try hullInBackground(["run", "--detach", "--console-socket", receiver.path, "--bundle", bundle.path, id])
        let master = try receiver.receiveMaster()
        XCTAssertEqual(run.wait(timeout: 30), 0, run.stderr)
        XCTAssertEqual(status(id), "running")
        let (marker, output) = PtyMaster.marker("tty-")
        try master.write("[ -t 0 ] && [ -t 1 ] && [ -t 2 ] && echo \(marker)\n")
        try master.read(until: output)
        try master.write("exit\n")
        waitFor("the shell to exit") { status(id) == "stopped" }
        deleteAndCheckLeaks(id)
    }

    func testExecTtyDetachSendsThePtyMaster() throws {
        let id = makeID("exectty")
        try startRunningContainer(id)
        let receiver = try ConsoleSocketReceiver(directory: try makeScratchDirectory("console"))
        let pidFile = try makeScratchDirectory("pid") + "/pid"
        let exec = try hullInBackground(["exec", "--tty", "--detach", "--console-socket", receiver.path,
                                         "--pid-file", pidFile, id, "sh"])
        let master = try receiver.receiveMaster()
        XCTAssertEqual(exec.wait(timeout: 30), 0, exec.stderr)
        let pid = try XCTUnwrap(Int32(String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        XCTAssertTrue(ProcFS.isAlive(pid))

        let answers = try ask(master, ["T": "tty", "I": "[ -t 0 ] && [ -t 2 ] && echo yes"])
        XCTAssertTrue(answers["T"]?.hasPrefix("/dev/pts/") == true, "\(answers)")
        XCTAssertEqual(answers["I"], "yes", "stdio is the pty")
        try master.write("exit\n")
        waitFor("the exec'd shell to exit") { !ProcFS.isAlive(pid) }
        XCTAssertEqual(status(id), "running", "the container outlives the exec'd shell")
        deleteAndCheckLeaks(id)
    }

    // MARK: the foreground proxy

    func testForegroundRunShowsThePromptAndRestoresTheTerminal() throws {
        bundle.setTerminal(true)
        bundle.setArgs(["sh"])
        let terminal = try PseudoTerminal(rows: 40, columns: 120)
        let before = TerminalModes(try terminal.attributes())
        XCTAssertTrue(before.echo && before.canonical, "a fresh pty is cooked: \(before)")
        let id = makeID("fg")
        try terminal.spawn(runner.binary, ["--root", root.path, "run", "--bundle", bundle.path, id])
        try terminal.master.read(until: "# ")

        let during = TerminalModes(try terminal.attributes())
        XCTAssertFalse(during.echo || during.canonical || during.signals, "the outer terminal is raw while proxying: \(during)")
        let answers = try ask(terminal.master, ["T": "tty", "S": "stty size"])
        XCTAssertTrue(answers["T"]?.hasPrefix("/dev/pts/") == true, "\(answers)")
        XCTAssertEqual(answers["S"], "40 120", "the container's pty starts with the outer terminal's size")

        try terminal.master.write("exit 3\n")
        XCTAssertEqual(terminal.wait(timeout: 20), 3, terminal.master.drain())
        XCTAssertEqual(TerminalModes(try terminal.attributes()), before, "the outer terminal is restored")
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testForegroundRunForwardsWindowSizeChanges() throws {
        bundle.setTerminal(true)
        bundle.setArgs(["sh"])
        let terminal = try PseudoTerminal(rows: 24, columns: 80)
        let id = makeID("winch")
        try terminal.spawn(runner.binary, ["--root", root.path, "run", "--bundle", bundle.path, id])
        try terminal.master.read(until: "# ")

        // The kernel sends SIGWINCH to hull (the foreground process of the outer pty) on resize.
        try terminal.master.setWindowSize(rows: 50, columns: 132)
        var seen: String?
        let resized = waitFor("the container's pty to be 50x132", timeout: 10) {
            seen = (try? ask(terminal.master, ["S": "stty size"]))?["S"]
            return seen == "50 132"
        }
        XCTAssertTrue(resized, "last stty size: \(seen ?? "none")")
        try terminal.master.write("exit\n")
        XCTAssertEqual(terminal.wait(timeout: 20), 0)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testForegroundExecTty() throws {
        let id = makeID("fgexec")
        try startRunningContainer(id)
        let terminal = try PseudoTerminal(rows: 33, columns: 99)
        let before = TerminalModes(try terminal.attributes())
        try terminal.spawn(runner.binary, ["--root", root.path, "exec", "-t", id, "sh"])
        try terminal.master.read(until: "# ")
        let answers = try ask(terminal.master, ["S": "stty size", "I": "[ -t 0 ] && echo yes"])
        XCTAssertEqual(answers["S"], "33 99", "the exec'd process's pty has the outer terminal's size")
        XCTAssertEqual(answers["I"], "yes")
        try terminal.master.write("exit 4\n")
        XCTAssertEqual(terminal.wait(timeout: 20), 4, terminal.master.drain())
        XCTAssertEqual(TerminalModes(try terminal.attributes()), before, "the outer terminal is restored")
        XCTAssertEqual(status(id), "running")
        deleteAndCheckLeaks(id)
    }

    // MARK: no terminal: stdio pass-through

    func testDetachedRunWithoutTerminalKeepsTheCallersStdio() throws {
        bundle.setArgs(["sh", "-c", "echo to-stdout; echo to-stderr >&2; exec sleep 1000"])
        let id = makeID("passthrough")
        let run = try hullInBackground(["run", "--detach", "--bundle", bundle.path, id])
        XCTAssertEqual(run.wait(timeout: 30), 0, run.stderr)
        waitFor("the container's output") { run.stdout == "to-stdout\n" && run.stderr.hasSuffix("to-stderr\n") }
        deleteAndCheckLeaks(id)
    }

    // MARK: errors

    func testDetachedTerminalWithoutConsoleSocketFails() throws {
        bundle.setTerminal(true)
        bundle.setArgs(["sh"])
        let id = makeID("nosocket")
        assertOneLineFailure(hull("run", "--detach", "--bundle", bundle.path, id), mentioning: ["console-socket", "console socket"])
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)

        assertOneLineFailure(hull("create", "--bundle", bundle.path, id), mentioning: ["console-socket", "console socket"])
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testExecTtyDetachWithoutConsoleSocketFails() throws {
        let id = makeID("execnosock")
        try startRunningContainer(id)
        assertOneLineFailure(exec(id, ["sleep", "774"], flags: ["--tty", "--detach"]), mentioning: ["console-socket", "console socket"])
        assertNoProcess(withArgsContaining: "sleep 774")
        deleteAndCheckLeaks(id)
    }

    func testConsoleSocketThatIsARegularFileFails() throws {
        bundle.setTerminal(true)
        bundle.setArgs(["sh"])
        let notASocket = try makeScratchDirectory("notsock") + "/file"
        try "".write(toFile: notASocket, atomically: false, encoding: .utf8)
        let id = makeID("regular")
        assertOneLineFailure(hull("create", "--console-socket", notASocket, "--bundle", bundle.path, id), mentioning: [notASocket])
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testConsoleSocketThatDoesNotExistFails() throws {
        bundle.setTerminal(true)
        bundle.setArgs(["sh"])
        let missing = try makeScratchDirectory("nosock") + "/missing.sock"
        let id = makeID("missingsock")
        assertOneLineFailure(hull("create", "--console-socket", missing, "--bundle", bundle.path, id), mentioning: [missing])
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testConsoleSocketWithoutTerminalFails() throws {
        // runc: "cannot use console socket if runc will not detach or allocate tty".
        let receiver = try ConsoleSocketReceiver(directory: try makeScratchDirectory("console"))
        bundle.setArgs(["sleep", "776"])
        let id = makeID("sockterm")
        assertOneLineFailure(hull("create", "--console-socket", receiver.path, "--bundle", bundle.path, id),
                             mentioning: ["console socket", "console-socket", "terminal"])
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testForegroundTerminalWithoutATtyOnStdinFails() throws {
        // ChildProcess gives hull /dev/null as stdin: there is no terminal to proxy.
        bundle.setTerminal(true)
        bundle.setArgs(["sh"])
        let id = makeID("notty")
        assertOneLineFailure(hull("run", "--bundle", bundle.path, id), mentioning: ["tty", "terminal"])
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)

        let execID = makeID("nottyexec")
        bundle.setTerminal(false)
        try startRunningContainer(execID)
        assertOneLineFailure(exec(execID, ["sleep", "775"], flags: ["--tty"]), mentioning: ["tty", "terminal"])
        assertNoProcess(withArgsContaining: "sleep 775")
        deleteAndCheckLeaks(execID)
    }
}
