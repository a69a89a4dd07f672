#if canImport(Glibc)
import Glibc
#endif
import CHullShim

/// The --console-socket protocol of runc's `recvtty` and conmon: connect to the unix socket
/// and send the pty master with SCM_RIGHTS, its name as the message.
enum ConsoleSocket {
    /// `master` sent to `socket` and closed (nil returned), or kept (returned) when there is no
    /// socket. When sending fails the caller still owns `master`.
    static func handOver(_ master: Int32?, to socket: String?) throws -> Int32? {
        guard let master, let socket else { return master }
        try send(master: master, to: socket)
        close(master)
        return nil
    }

    static func send(master: Int32, to path: String) throws {
        guard hull_send_fd(path, master, "/dev/ptmx") == 0 else {
            throw HullError("--console-socket: send the pty to \(path): \(Errno.describe(errno))")
        }
    }
}
