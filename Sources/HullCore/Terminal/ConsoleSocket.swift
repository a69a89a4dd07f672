#if canImport(Glibc)
import Glibc
#endif
import CHullShim

/// The --console-socket protocol of runc's `recvtty` and conmon: connect to the unix socket
/// and send the pty master with SCM_RIGHTS, its name as the message.
enum ConsoleSocket {
    static func send(master: Int32, to path: String) throws {
        guard hull_send_fd(path, master, "/dev/ptmx") == 0 else {
            throw HullError("--console-socket: send the pty to \(path): \(Errno.describe(errno))")
        }
    }
}
