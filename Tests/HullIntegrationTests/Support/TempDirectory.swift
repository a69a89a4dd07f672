import Foundation
import Glibc

/// Creating and removing the scratch directories the integration tests work in.
///
/// Removal first detaches anything still mounted below the directory, so a test that left a mount
/// behind (a bind mount of a host path, a proc inside a rootfs) can never make the recursive delete
/// walk into, and empty, a file system that is not the test's own.
enum TempDirectory {
    /// Makes a fresh, empty directory `$TMPDIR/<prefix>XXXXXX` (default `/tmp`), mode 0755 so that
    /// users mapped into a container can still reach a rootfs below it.
    static func make(prefix: String) throws -> String {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(base)/\(prefix)XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> String? in
            guard let base = buffer.baseAddress, mkdtemp(base) != nil else { return nil }
            return String(cString: base)
        }
        guard let path = made else {
            throw HarnessError("mkdtemp \(base)/\(prefix)XXXXXX: \(String(cString: strerror(errno)))")
        }
        guard chmod(path, 0o755) == 0 else {
            throw HarnessError("chmod \(path): \(String(cString: strerror(errno)))")
        }
        return path
    }

    /// Detaches every mount at or below `path`, deepest first, then deletes the tree. Idempotent.
    static func remove(_ path: String) {
        for mountPoint in MountTable.mountPoints(under: path).sorted(by: { $0.count > $1.count }) {
            _ = umount2(mountPoint, Int32(MNT_DETACH))
        }
        let stillMounted = MountTable.mountPoints(under: path)
        guard stillMounted.isEmpty else {
            // Deleting now could reach into a file system that is not ours: leave the tree, say so.
            print("warning: not removing \(path): still mounted: \(stillMounted.joined(separator: ", "))")
            return
        }
        // Root ignores permission bits, so a tree a test made read-only still deletes.
        guard FileManager.default.fileExists(atPath: path) else { return }
        try? FileManager.default.removeItem(atPath: path)
    }
}
