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
        var path = path
        return path.withUTF8 { input in
            let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
            var out: [UInt8] = []
            out.reserveCapacity(input.count + 1)
            var start = 0
            while start < input.count {
                var end = start
                while end < input.count, input[end] != slash { end += 1 }
                switch end - start {
                case 0:
                    break
                case 1 where input[start] == dot:
                    break
                case 2 where input[start] == dot && input[start + 1] == dot:
                    while let last = out.popLast(), last != slash {}
                default:
                    out.append(slash)
                    out.append(contentsOf: input[start..<end])
                }
                start = end + 1
            }
            return out.isEmpty ? "/" : String(decoding: out, as: UTF8.self)
        }
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

extension FileIO {
    /// mkdir -p, deepest first: a single mkdir when the parent exists, which is the usual case.
    /// `made` is called with each directory created, parents first. Returns the directory that
    /// could not be made and the errno, or nil.
    static func makeDirectories(_ path: String, mode: mode_t, made: (String) -> Void) -> (path: String, errno: Int32)? {
        if mkdir(path, mode) == 0 {
            made(path)
            return nil
        }
        guard errno == ENOENT, let parent = parentDirectory(path) else {
            return errno == EEXIST ? nil : (path, errno)
        }
        if let failed = makeDirectories(parent, mode: mode, made: made) { return failed }
        if mkdir(path, mode) == 0 {
            made(path)
            return nil
        }
        return errno == EEXIST ? nil : (path, errno)
    }

    /// `path` without its last component ("a/b/" -> "a"), or nil when nothing is left.
    private static func parentDirectory(_ path: String) -> String? {
        var bytes = Array(path.utf8)
        while bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
        while let last = bytes.last, last != UInt8(ascii: "/") { bytes.removeLast() }
        while bytes.count > 1, bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
        return bytes.isEmpty || bytes == [UInt8(ascii: "/")] ? nil : String(decoding: bytes, as: UTF8.self)
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
