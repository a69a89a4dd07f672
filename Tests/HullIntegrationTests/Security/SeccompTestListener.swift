import Foundation
import Glibc

/// A tiny seccomp notify listener (runtime-spec "listenerPath"): it accepts one connection,
/// receives the container process state and the notify fd (SCM_RIGHTS), answers one
/// notification with `answerErrno`, and records what it saw.
final class SeccompTestListener: @unchecked Sendable {
    let path: String
    private let server: Int32
    private let answerErrno: Int32
    private let finished = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var _state = ""
    private var _syscall: Int32 = -1
    private var _problem: String?

    /// The JSON document received with the fd.
    var state: String { lock.withLock { _state } }
    /// The system call number of the notification answered.
    var syscall: Int32 { lock.withLock { _syscall } }
    /// What went wrong in the listener, if anything.
    var problem: String? { lock.withLock { _problem } }

    init(path: String, answerErrno: Int32) throws {
        self.path = path
        self.answerErrno = answerErrno
        server = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() where index < raw.count - 1 { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(server, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard server >= 0, bound == 0, listen(server, 1) == 0 else {
            throw NSError(domain: "listener", code: Int(errno), userInfo: [NSLocalizedDescriptionKey: "listen on \(path)"])
        }
        Thread.detachNewThread { [self] in
            serve()
            finished.signal()
        }
    }

    deinit { close(server) }

    /// Waits until the listener answered (or gave up); false on timeout.
    func wait(timeout: TimeInterval) -> Bool {
        finished.wait(timeout: .now() + timeout) == .success
    }

    private func fail(_ text: String) { lock.withLock { _problem = text } }

    private func serve() {
        guard waitReadable(server) else { return fail("no connection from hull") }
        let connection = accept(server, nil, nil)
        guard connection >= 0 else { return fail("accept: \(errno)") }
        defer { close(connection) }
        guard let (text, fd) = receive(connection) else { return fail("no message with an fd") }
        lock.withLock { _state = text }
        defer { close(fd) }
        guard waitReadable(fd) else { return fail("no notification") }
        answerOne(fd)
    }

    private func waitReadable(_ fd: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 10_000) == 1
    }

    /// recvmsg with room for one SCM_RIGHTS fd: struct cmsghdr is 16 bytes, the fd follows.
    private func receive(_ connection: Int32) -> (String, Int32)? {
        var data = [UInt8](repeating: 0, count: 65536)
        var control = [UInt8](repeating: 0, count: 24)
        let count = data.withUnsafeMutableBytes { dataBytes in
            control.withUnsafeMutableBytes { controlBytes -> Int in
                var iov = iovec(iov_base: dataBytes.baseAddress, iov_len: dataBytes.count)
                return withUnsafeMutablePointer(to: &iov) { iovPointer in
                    var message = msghdr()
                    message.msg_iov = iovPointer
                    message.msg_iovlen = 1
                    message.msg_control = controlBytes.baseAddress
                    message.msg_controllen = controlBytes.count
                    return recvmsg(connection, &message, 0)
                }
            }
        }
        let level = control.withUnsafeBytes { $0.load(fromByteOffset: 8, as: Int32.self) }
        let type = control.withUnsafeBytes { $0.load(fromByteOffset: 12, as: Int32.self) }
        guard count > 0, level == SOL_SOCKET, type == Int32(SCM_RIGHTS) else { return nil }
        let fd = control.withUnsafeBytes { $0.load(fromByteOffset: 16, as: Int32.self) }
        return (String(decoding: data.prefix(count), as: UTF8.self), fd)
    }

    /// SECCOMP_IOCTL_NOTIF_RECV (struct seccomp_notif, 80 bytes: id, pid, flags, seccomp_data)
    /// and SECCOMP_IOCTL_NOTIF_SEND (struct seccomp_notif_resp, 24 bytes: id, val, error, flags).
    private func answerOne(_ fd: Int32) {
        var request = [UInt8](repeating: 0, count: 80)
        guard request.withUnsafeMutableBytes({ ioctl(fd, 0xc050_2100, $0.baseAddress!) }) == 0 else {
            return fail("SECCOMP_IOCTL_NOTIF_RECV: \(errno)")
        }
        let id = request.withUnsafeBytes { $0.load(fromByteOffset: 0, as: UInt64.self) }
        let number = request.withUnsafeBytes { $0.load(fromByteOffset: 16, as: Int32.self) }
        lock.withLock { _syscall = number }
        var response = [UInt8](repeating: 0, count: 24)
        response.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: id, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: -answerErrno, toByteOffset: 16, as: Int32.self)
        }
        guard response.withUnsafeMutableBytes({ ioctl(fd, 0xc018_2101, $0.baseAddress!) }) == 0 else {
            return fail("SECCOMP_IOCTL_NOTIF_SEND: \(errno)")
        }
    }
}
