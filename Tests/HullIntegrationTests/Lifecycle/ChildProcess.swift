import Foundation
import Glibc

/// A program started with posix_spawn: stdin from a file (default /dev/null), stdout and stderr
/// appended to files, no other file descriptor of the test process, and default signal
/// dispositions with nothing blocked.
///
/// The lifecycle tests start hull this way rather than through Foundation's `Process`, which
/// learns that its child exited from EOF on a socket the child inherits: a container init
/// that kept that socket open would then hang the whole test run instead of failing one test.
final class ChildProcess {
    let pid: pid_t
    let stdoutPath: String
    let stderrPath: String
    private let scratch: String
    private var exitStatus: Int32?

    /// Starts `executable` (an absolute path) with `arguments` (argv[0] is the executable).
    init(_ executable: String, _ arguments: [String], stdin: String = "/dev/null") throws {
        scratch = try TempDirectory.make(prefix: "hull-child-")
        stdoutPath = scratch + "/stdout"
        stderrPath = scratch + "/stderr"
        do {
            pid = try Self.spawn(executable, arguments, stdin: stdin, stdout: stdoutPath, stderr: stderrPath)
        } catch {
            TempDirectory.remove(scratch)
            throw error
        }
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            _ = wait(timeout: 5)
        }
        TempDirectory.remove(scratch)
    }

    /// What the program (and anything that inherited its stdout, such as a container) printed so far.
    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    func send(_ signal: Int32) {
        if exitStatus == nil { kill(pid, signal) }
    }

    /// The exit status (128+N when killed by signal N) once the program exits within
    /// `timeout` seconds; nil if it still runs then.
    func wait(timeout: TimeInterval) -> Int32? {
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
            if reaped < 0 && errno != EINTR { return nil }
            if Date() > deadline { return nil }
            usleep(5_000)
        }
    }

    /// Runs to completion (killing it after `timeout`) and returns status and output.
    static func run(
        _ executable: String, _ arguments: [String], timeout: TimeInterval = 60
    ) -> (status: Int32, stdout: String, stderr: String) {
        do {
            let child = try ChildProcess(executable, arguments)
            guard let status = child.wait(timeout: timeout) else {
                child.send(SIGKILL)
                _ = child.wait(timeout: 5)
                return (-1, child.stdout, child.stderr + "\n(killed after \(timeout) s)")
            }
            return (status, child.stdout, child.stderr)
        } catch {
            return (-1, "", "cannot run \(executable): \(error)")
        }
    }

    private static func spawn(
        _ executable: String, _ arguments: [String], stdin: String, stdout: String, stderr: String
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        // Nothing else the test process holds reaches the child (glibc ignores EBADF here).
        for fd in openDescriptors() where fd > 2 {
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
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard rc == 0 else {
            throw HarnessError("posix_spawn \(executable): \(String(cString: strerror(rc)))")
        }
        return pid
    }

    private static func openDescriptors() -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
    }
}
