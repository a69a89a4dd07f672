#if canImport(Glibc)
import Glibc
#endif

/// `descriptors.json` next to the images, as runc writes it: a JSON array of what the init's
/// fds 0, 1 and 2 were at checkpoint (`/proc/PID/fd/N` link targets, "pipe:[INODE]" for a pipe).
/// A restore hands its own stdin, stdout and stderr to CRIU for each pipe (`inherit_fd`), so a
/// restored container writes to whoever runs the restore, as the original wrote to its creator.
enum CheckpointDescriptors {
    static let fileName = "descriptors.json"

    static func write(of pid: Int32, into directory: String) throws {
        let links = (0..<3).map { fd in (try? readLink("/proc/\(pid)/fd/\(fd)")) ?? "" }
        let json = "[" + links.map(JSONQuote.quoted).joined(separator: ",") + "]"
        try FileIO.writeAtomically(Array(json.utf8), to: directory + "/" + fileName, mode: 0o600)
    }

    /// The saved descriptors; none when the images have no descriptors.json (a checkpoint
    /// made by plain CRIU): the restored process's pipes then lead nowhere, as CRIU does.
    static func read(from directory: String) throws -> [String] {
        let path = directory + "/" + fileName
        guard FileIO.exists(path) else { return [] }
        let bytes = try FileIO.read(path)
        guard case .array(let values)? = try? JSONParser.parse(bytes) else {
            throw HullError("\(path): not a JSON array of strings")
        }
        return try values.map { value in
            guard case .string(let text) = value else { throw HullError("\(path): not a JSON array of strings") }
            return text
        }
    }

    /// inherit_fd entries: each saved pipe becomes the same-numbered fd of CRIU (hull's own).
    static func inheritFds(_ descriptors: [String]) -> [(key: String, fd: Int32)] {
        descriptors.enumerated().compactMap { index, link in
            link.hasPrefix("pipe:") ? (key: link, fd: Int32(index)) : nil
        }
    }

    private static func readLink(_ path: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { throw HullError("readlink \(path): \(Errno.describe(errno))") }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
