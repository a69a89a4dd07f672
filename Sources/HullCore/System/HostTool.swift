#if canImport(Glibc)
import Glibc
#endif

/// Runs a program of the host (`ps`, `newuidmap`) found through PATH, and collects what it
/// writes to stdout and stderr.
enum HostTool {
    struct Result {
        /// The exit status, or 128+N when killed by signal N.
        var status: Int32
        var output: String
        var firstLine: String { output.split(separator: "\n").first.map(String.init) ?? "" }
    }

    static func run(_ name: String, _ arguments: [String]) throws -> Result {
        var pipeFds: [Int32] = [0, 0]
        guard pipe(&pipeFds) == 0 else { throw HullError("\(name): pipe: \(Errno.describe(errno))") }
        // Close-on-exec, so that only the tool's stdout and stderr (the dup2s) hold the pipe.
        for fd in pipeFds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipeFds[1], 1)
        posix_spawn_file_actions_adddup2(&actions, pipeFds[1], 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([name] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, name, &actions, nil, argv, environ)
        close(pipeFds[1])
        defer { close(pipeFds[0]) }
        guard rc == 0 else { throw HullError("\(name): \(Errno.describe(rc))") }
        let output = readAll(pipeFds[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let code = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Result(status: code, output: String(decoding: output, as: UTF8.self))
    }

    private static func readAll(_ fd: Int32) -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += buffer[0..<count]
        }
        return bytes
    }
}
