import Foundation
import Glibc

/// The master side of a pseudo-terminal, as a test drives it: type input, read what the other
/// side printed until a marker shows up, change the window size.
///
/// Output read through a pty has the terminal's output processing applied (ONLCR turns "\n" into
/// "\r\n") and includes the echo of what was typed while the slave has ECHO on; tests match with
/// `contains` and print markers the echoed input does not contain (`PtyMaster.marker`).
final class PtyMaster {
    let fd: Int32
    /// Everything read so far (not cleared by `read(until:)`).
    private(set) var transcript = ""

    /// Takes ownership of `fd`.
    init(fd: Int32) {
        self.fd = fd
    }

    deinit {
        close(fd)
    }

    /// Writes `text` as if typed.
    func write(_ text: String) throws {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw HarnessError("write to pty master: \(String(cString: strerror(errno)))") }
            bytes = bytes.dropFirst(written)
        }
    }

    /// Reads until the text read by this call contains `marker`; returns that text (including the
    /// marker and whatever else arrived in the same chunk). Throws, with what was read, after
    /// `timeout` seconds or at end of output (EIO once every slave fd is closed).
    @discardableResult
    func read(until marker: String, timeout: TimeInterval = 10) throws -> String {
        var text = ""
        let deadline = Date().addingTimeInterval(timeout)
        while !text.contains(marker) {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else {
                throw HarnessError("no \(marker.debugDescription) from the pty within \(timeout) s; read: \(text.debugDescription)")
            }
            guard let chunk = try readChunk(waitingAtMost: left) else {
                throw HarnessError("pty closed before \(marker.debugDescription); read: \(text.debugDescription)")
            }
            text += chunk
        }
        return text
    }

    /// Reads whatever arrives within `timeout` seconds, until the other side is gone or quiet.
    func drain(timeout: TimeInterval = 0.2) -> String {
        var text = ""
        let deadline = Date().addingTimeInterval(timeout)
        while deadline.timeIntervalSinceNow > 0, let chunk = try? readChunk(waitingAtMost: deadline.timeIntervalSinceNow) {
            text += chunk
        }
        return text
    }

    /// Sets the window size (TIOCSWINSZ); the kernel then sends SIGWINCH to the foreground
    /// process group of the terminal.
    func setWindowSize(rows: UInt16, columns: UInt16) throws {
        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        guard ioctl(fd, UInt(TIOCSWINSZ), &size) == 0 else {
            throw HarnessError("TIOCSWINSZ: \(String(cString: strerror(errno)))")
        }
    }

    /// The window size of the terminal (TIOCGWINSZ).
    func windowSize() throws -> (rows: UInt16, columns: UInt16) {
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0 else {
            throw HarnessError("TIOCGWINSZ: \(String(cString: strerror(errno)))")
        }
        return (size.ws_row, size.ws_col)
    }

    /// A shell word that prints `text` followed by a number, and the output to wait for: the
    /// typed command (which the terminal echoes) does not contain the output.
    ///     let (command, output) = PtyMaster.marker("done")   // "done$((40+2))", "done42"
    static func marker(_ text: String) -> (command: String, output: String) {
        ("\(text)$((40+2))", "\(text)42")
    }

    /// One read of at most 4 KiB once the fd is readable; nil at end of output; "" when nothing
    /// arrived within `seconds`.
    private func readChunk(waitingAtMost seconds: TimeInterval) throws -> String? {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&poller, 1, Int32(max(1, min(seconds * 1000, 60_000))))
        if ready < 0 {
            if errno == EINTR { return "" }
            throw HarnessError("poll pty master: \(String(cString: strerror(errno)))")
        }
        if ready == 0 { return "" }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        if count < 0 && (errno == EINTR || errno == EAGAIN) { return "" }
        // EIO: no slave fd is open any more, the pty's end of output.
        guard count > 0 else { return nil }
        let chunk = String(decoding: buffer[..<count], as: UTF8.self)
        transcript += chunk
        return chunk
    }
}
