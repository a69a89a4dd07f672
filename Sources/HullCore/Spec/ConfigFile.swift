#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reading and creating a bundle's config.json, with errors in the form
/// `open BUNDLE/config.json: no such file or directory`.
enum ConfigFile {
    /// BUNDLE/config.json; just "config.json" for the current directory given as "".
    static func path(inBundle bundle: String) -> String {
        if bundle.isEmpty { return "config.json" }
        return bundle.hasSuffix("/") ? bundle + "config.json" : bundle + "/config.json"
    }

    /// The whole file. Throws `HullError("<operation> <path>: <reason>")`, unprefixed.
    static func read(_ path: String) throws(HullError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw systemError("open", path) }
        defer { close(fd) }
        var info = stat()
        let expected = fstat(fd, &info) == 0 && info.st_size > 0 ? Int(info.st_size) : 0
        var bytes: [UInt8] = []
        bytes.reserveCapacity(expected + 1)
        var chunk = [UInt8](repeating: 0, count: max(expected + 1, 4096))
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw systemError("read", path)
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    /// Writes `bytes` to a new file at `path` (mode 0666 less the umask), refusing to replace
    /// an existing one: `already exists` is reported as `HullError("<path> already exists")`.
    static func create(_ path: String, bytes: [UInt8]) throws(HullError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else {
            if errno == EEXIST { throw HullError("\(path) already exists") }
            throw systemError("open", path)
        }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return systemWrite(fd, base + written, buffer.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                let error = systemError("write", path)
                close(fd)
                throw error
            }
            written += count
        }
        guard close(fd) == 0 else { throw systemError("close", path) }
    }

    /// `<operation> <path>: <strerror(errno)>`, lower-cased as Go spells errno messages.
    static func systemError(_ operation: String, _ path: String) -> HullError {
        let reason = String(cString: strerror(errno))
        return HullError("\(operation) \(path): \(reason.prefix(1).lowercased() + reason.dropFirst())")
    }
}

// read(2) and write(2) under names that the static methods above do not shadow.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}

private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
