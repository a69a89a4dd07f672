#if canImport(Glibc)
import Glibc
#endif
import CHullShim

/// The exec fifo, `ROOT/ID/exec.fifo`: the init holds it open read-write and blocks reading it;
/// `start` writes the container's state into it and removes it. Its existence is what makes a
/// container `created`.
enum ExecFifo {
    /// Makes the fifo and opens it O_RDWR (which never blocks) for the init to inherit.
    static func create(at path: String) throws -> Int32 {
        guard mkfifo(path, 0o600) == 0 else { throw HullError("mkfifo \(path): \(Errno.describe(errno))") }
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { throw HullError("open \(path): \(Errno.describe(errno))") }
        return fd
    }

    /// Wakes the init with `state` (one line). Fails when no init holds the fifo any more.
    static func release(at path: String, state: String) throws {
        let fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            throw HullError(errno == ENXIO ? "container init process is gone" : "open \(path): \(Errno.describe(errno))")
        }
        defer { close(fd) }
        try FileIO.writeAll(fd, Array((state + "\n").utf8), path: path)
    }
}

/// `--pid-file`: written atomically, as engines read it as soon as it appears.
enum PidFile {
    static func write(_ pid: Int32, to path: String) throws {
        try FileIO.writeAtomically(Array("\(pid)".utf8), to: path)
    }
}

/// `--pidfd-socket`: a pidfd of the init process, sent over a unix socket (SCM_RIGHTS).
enum PidfdSocket {
    static func send(pidOf process: ProcessHandle, to socketPath: String) throws {
        guard let pidfd = process.open() else { throw HullError("--pidfd-socket: container init process is gone") }
        defer { close(pidfd) }
        guard hull_send_fd(socketPath, pidfd, "pidfd") == 0 else {
            throw HullError("--pidfd-socket: send pidfd to \(socketPath): \(Errno.describe(errno))")
        }
    }
}
