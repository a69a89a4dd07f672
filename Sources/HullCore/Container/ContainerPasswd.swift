#if canImport(Glibc)
import Glibc
#endif
import CHullShim

/// The container's /etc/passwd, read from the host without following a symlink out of the
/// container's root: where HOME comes from for a process whose environment has none (runc).
enum ContainerPasswd {
    /// The home directory of `uid`, or "/" when the file or the user is missing.
    static func home(uid: UInt32, root: String) -> String {
        guard let text = read(root: root) else { return "/" }
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            if fields.count >= 6, UInt32(fields[2]) == uid, !fields[5].isEmpty {
                return String(fields[5])
            }
        }
        return "/"
    }

    /// At most 1 MiB of a regular file.
    private static func read(root: String) -> String? {
        let fd = hull_open_in_root(root, "/etc/passwd")
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        var bytes = [UInt8](repeating: 0, count: min(Int(info.st_size), 1 << 20))
        let count = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        guard count >= 0 else { return nil }
        return String(decoding: bytes[0..<count], as: UTF8.self)
    }
}
