import Foundation
import Glibc

/// A program run in the foreground of its own pseudo-terminal, as from an interactive shell:
/// it is a session leader whose controlling terminal is the pty slave, which is also its
/// stdin, stdout and stderr. The test holds the master (`master`: type, read, resize) and a
/// slave fd of its own, through which it reads the terminal's settings (`attributes()`), e.g. to
/// see that a program put it into raw mode and restored it on exit.
///
///     let terminal = try PseudoTerminal(rows: 24, columns: 80)
///     let before = try terminal.attributes()
///     try terminal.spawn(hull, ["--root", r, "run", "--bundle", b, id])
///     try terminal.master.read(until: "# ")
///     try terminal.master.write("exit 3\n")
///     XCTAssertEqual(terminal.wait(timeout: 10), 3)
final class PseudoTerminal {
    let master: PtyMaster
    /// The slave's path (/dev/pts/N).
    let slavePath: String
    /// The test's own slave fd: keeps the pty alive after the program exits.
    private let slave: Int32
    private(set) var pid: pid_t?
    private var exitStatus: Int32?

    /// Opens a pty whose window size is `rows` x `columns`.
    init(rows: UInt16 = 24, columns: UInt16 = 80) throws {
        // /dev/ptmx with the kernel's own ioctls (glibc's posix_openpt/unlockpt/ptsname are not
        // visible to Swift; grantpt is a no-op on devpts).
        let masterFd = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard masterFd >= 0 else { throw HarnessError("open /dev/ptmx: \(String(cString: strerror(errno)))") }
        master = PtyMaster(fd: masterFd)
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard ioctl(masterFd, PtyIoctl.setLock, &unlock) == 0, ioctl(masterFd, PtyIoctl.getNumber, &number) == 0 else {
            throw HarnessError("unlock /dev/ptmx: \(String(cString: strerror(errno)))")
        }
        slavePath = "/dev/pts/\(number)"
        slave = open(slavePath, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard slave >= 0 else { throw HarnessError("open \(slavePath): \(String(cString: strerror(errno)))") }
        try master.setWindowSize(rows: rows, columns: columns)
    }

    deinit {
        if let pid, exitStatus == nil {
            kill(pid, SIGKILL)
            _ = wait(timeout: 5)
        }
        close(slave)
    }

    /// The terminal's current settings, read through the test's slave fd.
    func attributes() throws -> termios {
        var settings = termios()
        guard tcgetattr(slave, &settings) == 0 else {
            throw HarnessError("tcgetattr \(slavePath): \(String(cString: strerror(errno)))")
        }
        return settings
    }

    /// Starts `executable` (absolute path; argv[0] is the path) in a new session with the slave
    /// as controlling terminal and stdio; no other fd of the test reaches it; default signal
    /// handling, nothing blocked.
    func spawn(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // POSIX_SPAWN_SETSID runs before the file actions (glibc), so this open, without
        // O_NOCTTY, makes the slave the new session's controlling terminal.
        posix_spawn_file_actions_addopen(&actions, 0, slavePath, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        for fd in Self.openDescriptors() where fd > 2 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | PtyIoctl.spawnSetsid))

        var env = ProcessInfo.processInfo.environment
        env["TERM"] = env["TERM"] ?? "xterm"
        env.merge(environment) { $1 }
        let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        guard rc == 0 else { throw HarnessError("posix_spawn \(executable): \(String(cString: strerror(rc)))") }
        pid = child
    }

    func send(_ signal: Int32) {
        if let pid, exitStatus == nil { kill(pid, signal) }
    }

    /// The exit status (128+N when killed by signal N) once the program exits within `timeout`
    /// seconds; nil while it still runs. Output stays readable from `master` afterwards.
    func wait(timeout: TimeInterval) -> Int32? {
        guard let pid else { return nil }
        if let exitStatus { return exitStatus }
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            var status: Int32 = 0
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid {
                let signal = status & 0x7f
                exitStatus = signal == 0 ? (status >> 8) & 0xff : 128 + signal
                return exitStatus
            }
            if (reaped < 0 && errno != EINTR) || Date() > deadline { return nil }
            usleep(5_000)
        }
    }

    private static func openDescriptors() -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
    }
}

/// Constants Swift does not import (function-like macros, or behind _GNU_SOURCE), for x86_64 and
/// arm64 Linux with glibc.
private enum PtyIoctl {
    /// TIOCSPTLCK = _IOW('T', 0x31, int): lock or unlock the slave of a /dev/ptmx master.
    static let setLock: UInt = 0x4004_5431
    /// TIOCGPTN = _IOR('T', 0x30, unsigned int): the slave's number N in /dev/pts/N.
    static let getNumber: UInt = 0x8004_5430
    /// POSIX_SPAWN_SETSID (glibc 2.26): setsid() in the child.
    static let spawnSetsid: Int32 = 0x80
}

/// The terminal settings a foreground runtime changes (raw mode) and must restore.
struct TerminalModes: Equatable, CustomStringConvertible {
    let echo: Bool
    let canonical: Bool
    let signals: Bool
    let outputProcessing: Bool
    let crToNewline: Bool

    init(_ settings: termios) {
        echo = settings.c_lflag & tcflag_t(ECHO) != 0
        canonical = settings.c_lflag & tcflag_t(ICANON) != 0
        signals = settings.c_lflag & tcflag_t(ISIG) != 0
        outputProcessing = settings.c_oflag & tcflag_t(OPOST) != 0
        crToNewline = settings.c_iflag & tcflag_t(ICRNL) != 0
    }

    var description: String {
        "ECHO=\(echo) ICANON=\(canonical) ISIG=\(signals) OPOST=\(outputProcessing) ICRNL=\(crToNewline)"
    }
}
