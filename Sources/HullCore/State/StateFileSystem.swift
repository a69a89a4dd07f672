import Glibc

/// The few file operations the state store needs, as plain syscalls with `O_CLOEXEC` on every fd
/// (hull forks container processes; no state fd may leak into them) and one-line errors that name
/// the path and the failing call.
enum StateFileSystem {
    /// The reason for the current `errno`, e.g. "No such file or directory".
    static func errnoText(_ code: Int32 = errno) -> String {
        Errno.describe(code)
    }

    /// An error for `path` after `call` failed with `code`.
    static func failure(_ path: String, _ call: String, _ code: Int32 = errno) -> SystemFailure {
        SystemFailure(path: path, call: call, code: code)
    }

    /// A whole file's bytes.
    static func readFile(_ path: String) throws(SystemFailure) -> [UInt8] {
        let fd = retryingEINTR { open(path, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { throw failure(path, "open") }
        defer { close(fd) }
        // A chunk that is not zero-filled first: state files and /proc files are small, and
        // `list` reads two per container.
        var bytes: [UInt8] = []
        var readError: Int32 = 0
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { chunk in
            while true {
                let n = retryingEINTR { Glibc.read(fd, chunk.baseAddress, chunk.count) }
                if n < 0 { readError = errno }
                if n <= 0 { return }
                bytes.append(contentsOf: UnsafeMutableBufferPointer(rebasing: chunk[0..<n]))
            }
        }
        guard readError == 0 else { throw failure(path, "read", readError) }
        return bytes
    }

    /// Writes `bytes` to `path` so that readers see either the old or the new file, never a part:
    /// the data goes to `path.tmp-PID`, then is renamed over `path` (rename is atomic within a
    /// directory). The PID suffix keeps two writers from sharing a temporary file. No fsync: this
    /// is runtime state (normally on tmpfs, gone at reboot anyway), and runc does not sync either.
    static func writeFileAtomically(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o600) throws(SystemFailure) {
        let temporary = "\(path).tmp-\(getpid())"
        let fd = retryingEINTR { open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode) }
        guard fd >= 0 else { throw failure(temporary, "open") }
        do throws(SystemFailure) {
            try writeAll(fd, bytes, path: temporary)
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        guard close(fd) == 0 else {
            let code = errno
            unlink(temporary)
            throw failure(temporary, "close", code)
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw failure(path, "rename", code)
        }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(SystemFailure) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { buffer in
                let rest = UnsafeRawBufferPointer(rebasing: buffer[offset...])
                return retryingEINTR { write(fd, rest.baseAddress, rest.count) }
            }
            guard n > 0 else { throw failure(path, "write") }
            offset += n
        }
    }

    /// Creates `path` and any missing parents; directories this call creates get `mode` exactly
    /// (umask does not apply). Existing directories are left as they are.
    static func makeDirectories(_ path: String, mode: mode_t) throws(SystemFailure) {
        if let failed = FileIO.makeDirectories(path, mode: mode, made: { chmod($0, mode) }) {
            throw failure(failed.path, "mkdir", failed.errno)
        }
    }

    /// Names in a directory, without `.` and `..`; nil if the directory does not exist.
    static func directoryEntries(_ path: String) throws(SystemFailure) -> [String]? {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw failure(path, "open")
        }
        return try entries(ofDirectoryFD: fd, path: path)
    }

    /// Removes `name` inside the directory `parentFD` and, if it is a directory, everything below
    /// it. Symbolic links are removed, never followed.
    static func removeTree(parentFD: Int32, name: String, path: String) throws(SystemFailure) {
        if unlinkat(parentFD, name, 0) == 0 { return }
        guard errno == EISDIR else {
            if errno == ENOENT { return }
            throw failure(path, "unlink")
        }
        let fd = openat(parentFD, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw failure(path, "open") }
        defer { close(fd) }
        // `entries` hands its fd to fdopendir, which closes it: give it a copy, keep `fd` for unlinkat.
        let children = try entries(ofDirectoryFD: try duplicate(fd, path: path), path: path)
        for child in children {
            try removeTree(parentFD: fd, name: child, path: path + "/" + child)
        }
        guard unlinkat(parentFD, name, AT_REMOVEDIR) == 0 || errno == ENOENT else {
            throw failure(path, "rmdir")
        }
    }

    /// Lists the directory open on `fd` and closes `fd`.
    private static func entries(ofDirectoryFD fd: Int32, path: String) throws(SystemFailure) -> [String] {
        guard let dir = fdopendir(fd) else {
            let code = errno
            close(fd)
            throw failure(path, "fdopendir", code)
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    private static func duplicate(_ fd: Int32, path: String) throws(SystemFailure) -> Int32 {
        let copy = fcntl(fd, F_DUPFD_CLOEXEC, 0)
        guard copy >= 0 else { throw failure(path, "fcntl(F_DUPFD_CLOEXEC)") }
        return copy
    }

    /// Runs `call` again while it fails with EINTR.
    static func retryingEINTR<T: BinaryInteger>(_ call: () -> T) -> T {
        while true {
            let result = call()
            if result >= 0 || errno != EINTR { return result }
        }
    }
}

/// A failed system call on a path; `code` is the errno, so callers can tell ENOENT from the rest.
struct SystemFailure: Error {
    let path: String
    let call: String
    let code: Int32

    /// `CALL PATH: REASON` as Go (and so runc) words it, e.g.
    /// `open /run/hull/x/state.json: permission denied`.
    var hullError: HullError {
        HullError("\(call) \(path): \(StateFileSystem.errnoText(code))")
    }
}
