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
        do {
            return try StateFileSystem.readFile(path)
        } catch {
            throw error.hullError
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
        HullError("\(operation) \(path): \(Errno.describe(errno))")
    }
}

// write(2) under a name that the static methods above do not shadow.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
