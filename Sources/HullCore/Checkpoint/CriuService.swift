#if canImport(Glibc)
import Glibc
#endif
import CHullShim

/// CRIU failed a request: its own words (cr_errmsg / cr_errno) or how it exited. The caller adds
/// what CRIU's log says (`CriuLog`).
struct CriuFailure: Error {
    let summary: String
}

/// One conversation with `criu swrk`, CRIU's RPC worker, as runc drives it: a SOCK_SEQPACKET
/// socketpair, CRIU started as `criu swrk 3` with its end at fd 3, one `criu_req` sent, then
/// notifications answered until the final `criu_resp`. CRIU inherits hull's stdin, stdout and
/// stderr (a restore hands those to the restored process through `inherit_fd`).
struct CriuService {
    let executable: String

    /// `name` from `--criu` ("criu": looked up in PATH, as runc does) as an executable, or a
    /// one-line error saying CRIU is missing.
    static func locate(_ name: String) throws -> CriuService {
        if name.contains("/") {
            guard access(name, X_OK) == 0 else {
                throw HullError("--criu \(name): \(Errno.describe(errno)): CRIU is needed for checkpoint and restore")
            }
            return CriuService(executable: name)
        }
        let path = getenv("PATH").map { String(cString: $0) } ?? ""
        for directory in path.split(separator: ":").map(String.init) {
            let candidate = directory + "/" + name
            if access(candidate, X_OK) == 0 { return CriuService(executable: candidate) }
        }
        throw HullError("CRIU is not installed: no \"\(name)\" in PATH (install the criu package, or name it with --criu PATH)")
    }

    /// Sends the request `makeRequest` returns (it is called with CRIU's pid once CRIU runs:
    /// a restore moves CRIU into the container's cgroup first) and returns CRIU's final answer.
    /// `extraFds` reach CRIU as fds 4, 5, ... (for `inherit_fd`); `notify` handles each
    /// notification, with the fd that came with it, before CRIU is told to go on.
    func run(extraFds: [Int32] = [], _ makeRequest: (Int32) throws -> CriuRequest,
             notify: (CriuResponse, Int32?) throws -> Void = { _, fd in if let fd { close(fd) } }) throws -> CriuResponse {
        var pair: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            throw HullError("criu: socketpair: \(Errno.describe(errno))")
        }
        let client = pair[0]
        defer { close(client) }
        let pid: pid_t
        do {
            defer { close(pair[1]) }
            pid = try spawn(socket: pair[1], extraFds: extraFds)
        }
        var finished = false
        defer { if !finished { Self.kill(pid) } }
        let request = try makeRequest(pid)
        try Self.send(request, on: client)
        let response = try converse(client, notify: notify)
        shutdown(client, Int32(SHUT_WR))
        let status = Self.wait(pid)
        finished = true
        // After a pre-dump CRIU waits for the next request of an iteration; hull sends none,
        // so CRIU's exit status says nothing then (runc ignores it too).
        if request.type != .preDump && status != 0 {
            throw CriuFailure(summary: "criu exited with status \(status)")
        }
        return response
    }

    // MARK: The conversation

    private func converse(_ socket: Int32, notify: (CriuResponse, Int32?) throws -> Void) throws -> CriuResponse {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            var fd: Int32 = -1
            let count = buffer.withUnsafeMutableBytes { hull_recv_with_fd(socket, $0.baseAddress, UInt($0.count), &fd) }
            guard count > 0 else {
                if count < 0 { throw HullError("criu: read its answer: \(Errno.describe(errno))") }
                throw CriuFailure(summary: "criu ended the conversation without an answer")
            }
            let response: CriuResponse
            do {
                response = try CriuResponse(decoding: Array(buffer[..<count]))
            } catch {
                if fd >= 0 { close(fd) }
                throw error
            }
            guard response.success else {
                if fd >= 0 { close(fd) }
                var summary = "criu failed"
                if let message = response.errorMessage?.split(separator: "\n").first, let text = CriuLog.message(message) ?? Optional(String(message)) {
                    summary += ": " + text
                }
                if let code = response.errno, code != 0 { summary += " (\(Errno.describe(code)))" }
                throw CriuFailure(summary: summary)
            }
            guard response.type == CriuRequestType.notify.rawValue else {
                if fd >= 0 { close(fd) }
                return response
            }
            try notify(response, fd >= 0 ? fd : nil)
            try Self.send(.notifyDone, on: socket)
        }
    }

    private static func send(_ request: CriuRequest, on socket: Int32) throws {
        let bytes = request.encoded
        let sent = bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == bytes.count else {
            throw CriuFailure(summary: "criu: send the request: \(Errno.describe(errno))")
        }
    }

    // MARK: The process

    /// posix_spawn of `criu swrk 3`: `socket` at fd 3, `extraFds` from 4, default signal
    /// dispositions and an empty mask (a foreground restore blocks the signals it forwards).
    private func spawn(socket: Int32, extraFds: [Int32]) throws -> pid_t {
        // Copies above every target number first, so one dup2 never overwrites another's source.
        let sources = try ([socket] + extraFds).map { fd in
            let copy = fcntl(fd, F_DUPFD_CLOEXEC, 100)
            guard copy >= 0 else { throw HullError("criu: duplicate fd \(fd): \(Errno.describe(errno))") }
            return copy
        }
        defer { sources.forEach { close($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (index, fd) in sources.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, fd, Int32(3 + index))
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

        let argv: [UnsafeMutablePointer<CChar>?] = [executable, "swrk", "3"].map { (arg: String) in strdup(arg) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard rc == 0 else { throw HullError("criu: start \(executable): \(Errno.describe(rc))") }
        return pid
    }

    /// Reaps `pid`; its exit status, or 128+N when killed by signal N.
    private static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    private static func kill(_ pid: pid_t) {
        Glibc.kill(pid, SIGKILL)
        _ = wait(pid)
    }
}
