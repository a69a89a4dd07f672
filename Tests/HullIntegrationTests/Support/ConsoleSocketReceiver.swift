import Foundation
import Glibc

/// The receiving end of `--console-socket`, as runc's `recvtty` and conmon implement it: a unix
/// stream socket the runtime connects to, sending one message whose payload is a name (ignored
/// here) and whose SCM_RIGHTS control message carries the pty master.
///
///     let receiver = try ConsoleSocketReceiver(directory: scratch)
///     hull("create", "--console-socket", receiver.path, ...)   // or in the background
///     let master = try receiver.receiveMaster()
///     try master.write("tty\n")
final class ConsoleSocketReceiver {
    /// The socket's path: pass it as `--console-socket`.
    let path: String
    private let listener: Int32

    /// Listens on `directory/console.sock` (the directory must exist; its path must be short
    /// enough for sockaddr_un, 107 bytes).
    init(directory: String, name: String = "console.sock") throws {
        path = directory + "/" + name
        listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard listener >= 0 else { throw HarnessError("socket(AF_UNIX): \(String(cString: strerror(errno)))") }
        do {
            try Self.bind(listener, to: path)
            guard listen(listener, 1) == 0 else { throw HarnessError("listen \(path): \(String(cString: strerror(errno)))") }
        } catch {
            close(listener)
            throw error
        }
    }

    deinit {
        close(listener)
        unlink(path)
    }

    /// Accepts one connection and receives the fd it sends; throws if none arrives within
    /// `timeout` seconds, or the message carries no fd.
    func receiveMaster(timeout: TimeInterval = 10) throws -> PtyMaster {
        var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let ready = poll(&poller, 1, Int32(max(1, deadline.timeIntervalSinceNow * 1000)))
            if ready > 0 { break }
            if ready < 0 && errno != EINTR { throw HarnessError("poll \(path): \(String(cString: strerror(errno)))") }
            if deadline.timeIntervalSinceNow <= 0 { throw HarnessError("nobody connected to \(path) within \(timeout) s") }
        }
        let connection = accept(listener, nil, nil)
        guard connection >= 0 else { throw HarnessError("accept \(path): \(String(cString: strerror(errno)))") }
        defer { close(connection) }
        _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
        return PtyMaster(fd: try Self.receiveDescriptor(from: connection, timeout: deadline.timeIntervalSinceNow))
    }

    private static func bind(_ socket: Int32, to path: String) throws {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { throw HarnessError("socket path too long: \(path)") }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(socket, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else { throw HarnessError("bind \(path): \(String(cString: strerror(errno)))") }
    }

    /// recvmsg of one message with a control buffer for one SCM_RIGHTS fd (cmsghdr, then the
    /// int, padded to 8 bytes: CMSG_SPACE(sizeof(int)) on 64-bit Linux).
    private static func receiveDescriptor(from connection: Int32, timeout: TimeInterval) throws -> Int32 {
        var poller = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(max(1, timeout * 1000))) > 0 else {
            throw HarnessError("no message on the console socket within the timeout")
        }
        let headerSize = MemoryLayout<cmsghdr>.size
        let controlSize = headerSize + 8
        var payload = [UInt8](repeating: 0, count: 4096)
        var control = [UInt8](repeating: 0, count: controlSize)
        let received: Int = payload.withUnsafeMutableBytes { payloadBytes in
            control.withUnsafeMutableBytes { controlBytes in
                var vector = iovec(iov_base: payloadBytes.baseAddress, iov_len: payloadBytes.count)
                return withUnsafeMutablePointer(to: &vector) { vectorPointer in
                    var message = msghdr()
                    message.msg_iov = vectorPointer
                    message.msg_iovlen = 1
                    message.msg_control = controlBytes.baseAddress
                    message.msg_controllen = controlBytes.count
                    return recvmsg(connection, &message, Int32(MSG_CMSG_CLOEXEC))
                }
            }
        }
        guard received >= 0 else { throw HarnessError("recvmsg: \(String(cString: strerror(errno)))") }
        let header = control.withUnsafeBytes { $0.loadUnaligned(as: cmsghdr.self) }
        guard header.cmsg_level == SOL_SOCKET, header.cmsg_type == Int32(SCM_RIGHTS),
              header.cmsg_len == headerSize + MemoryLayout<Int32>.size else {
            throw HarnessError("the console socket message carries no fd (\(received) bytes, control level \(header.cmsg_level) type \(header.cmsg_type))")
        }
        return control.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: headerSize, as: Int32.self) }
    }
}
