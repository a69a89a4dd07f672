import Foundation

/// The mount points listed in /proc/self/mountinfo, for leak checks and safe cleanup.
enum MountTable {
    /// Every mount point of this process's mount namespace, unescaped, in mountinfo order.
    static func mountPoints() -> [String] {
        guard let text = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            // Field 5 (index 4) is the mount point: "36 35 98:0 /mnt1 /mnt2 rw,noatime ...".
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            return fields.count > 4 ? unescape(String(fields[4])) : nil
        }
    }

    /// Mount points equal to `path` or below it. `path` is resolved first, since mountinfo holds
    /// canonical paths (a bundle under a symlinked /tmp still matches).
    static func mountPoints(under path: String) -> [String] {
        let canonical = canonicalPath(path)
        return mountPoints().filter { $0 == canonical || $0.hasPrefix(canonical + "/") }
    }

    /// The path with symlinks resolved; the path itself, minus a trailing slash, if that fails.
    static func canonicalPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else {
            return path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// mountinfo writes space, tab, newline and backslash as three-digit octal escapes (`\040`).
    static func unescape(_ field: String) -> String {
        var bytes: [UInt8] = []
        let raw = Array(field.utf8)
        var index = 0
        while index < raw.count {
            if raw[index] == UInt8(ascii: "\\"), index + 3 < raw.count,
               let value = UInt8(String(decoding: raw[(index + 1)...(index + 3)], as: UTF8.self), radix: 8) {
                bytes.append(value)
                index += 4
            } else {
                bytes.append(raw[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
