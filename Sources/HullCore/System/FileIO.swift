#if canImport(Glibc)
import Glibc
#endif

/// Small file helpers over open/read/write, without Foundation. Every fd is close-on-exec.
enum FileIO {
    static func readString(_ path: String) throws -> String {
        String(decoding: try read(path), as: UTF8.self)
    }

    static func read(_ path: String) throws -> [UInt8] {
        do {
            return try StateFileSystem.readFile(path)
        } catch {
            throw error.hullError
        }
    }

    /// Writes `text` to an existing file (cgroup and /proc files) in one write call.
    static func write(_ text: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw HullError("open \(path): \(Errno.describe(errno))") }
        defer { close(fd) }
        try writeAll(fd, Array(text.utf8), path: path)
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        do {
            try StateFileSystem.writeAll(fd, bytes, path: path)
        } catch {
            throw error.hullError
        }
    }

    /// Creates `path` with `bytes` atomically (temporary file + rename).
    static func writeAtomically(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws {
        do {
            try StateFileSystem.writeFileAtomically(path, bytes, mode: mode)
        } catch {
            throw error.hullError
        }
    }

    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }
}

/// errno as runc prints it: the C library's text with a lower-case first letter.
enum Errno {
    static func describe(_ code: Int32) -> String {
        let text = String(cString: strerror(code)!)
        guard let first = text.first else { return text }
        return first.lowercased() + text.dropFirst()
    }
}

/// Lexical path helpers (no file system access).
enum Path {
    /// Collapses "//", "." and ".." the way Go's filepath.Clean does for absolute paths.
    /// Works on UTF-8 bytes ("/" never occurs inside a multi-byte sequence): it runs for every
    /// mount and cgroup path of a create.
    static func clean(_ path: String) -> String {
        var parts: [Substring.UTF8View] = []
        for part in path.utf8.split(separator: UInt8(ascii: "/")) {
            if part.elementsEqual(".".utf8) { continue }
            if part.elementsEqual("..".utf8) { _ = parts.popLast(); continue }
            parts.append(part)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(path.utf8.count + 1)
        for part in parts {
            bytes.append(UInt8(ascii: "/"))
            bytes.append(contentsOf: part)
        }
        return bytes.isEmpty ? "/" : String(decoding: bytes, as: UTF8.self)
    }

    static func dirname(_ path: String) -> String {
        let cleaned = clean(path)
        guard let slash = cleaned.lastIndex(of: "/"), slash != cleaned.startIndex else { return "/" }
        return String(cleaned[..<slash])
    }

    /// `path` made absolute against `base` when it is relative.
    static func absolute(_ path: String, relativeTo base: String) -> String {
        path.hasPrefix("/") ? clean(path) : clean(base + "/" + path)
    }
}

extension String {
    /// The text of a NUL-terminated C buffer.
    init(cBuffer: [CChar]) {
        self.init(decoding: cBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    var trimmingWhitespace: String {
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view.removeFirst() }
        while let last = view.last, last.isWhitespace { view.removeLast() }
        return String(view)
    }
}

extension FileIO {
    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }
}

extension FileIO {
    static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return "/" }
        return String(cBuffer: buffer)
    }
}
