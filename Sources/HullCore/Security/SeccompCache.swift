#if canImport(Glibc)
import Glibc
#endif

/// Compiled seccomp programs kept between runs. Engines pass the same profile (~300 system
/// calls) to every container; compiling it with libseccomp costs ~10 ms, reading it back
/// ~0.1 ms. An entry is only used when its whole key (the compile inputs, libseccomp's version
/// and the kernel's) equals the one asked for: the file name is only a hash of it.
///
/// Layout: `DIRECTORY/<16 hex digits>`, mode 0600, written atomically:
/// `hull-seccomp 2\n<key length>\n<key><skipped names>\n<struct sock_filter bytes>`.
struct SeccompCache {
    let directory: String

    /// The cache under a state root. `~` cannot occur in a container ID, so the directory
    /// never collides with a container's.
    init(root: String) {
        directory = root + "/seccomp~cache"
    }

    struct Entry: Equatable {
        var program: [UInt8]
        var skipped: String
    }

    func load(key: String) -> Entry? {
        guard let bytes = try? FileIO.read(path(for: key)) else { return nil }
        var rest = bytes[...]
        guard line(&rest) == "hull-seccomp 2", let length = Int(line(&rest) ?? ""),
              rest.count >= length, Array(rest.prefix(length)) == Array(key.utf8) else { return nil }
        rest = rest.dropFirst(length)
        guard let skipped = line(&rest), !rest.isEmpty, rest.count % 8 == 0 else { return nil }
        return Entry(program: Array(rest), skipped: skipped)
    }

    /// Best effort: a cache that cannot be written only costs the next run a compile.
    func store(key: String, _ entry: Entry) {
        let skipped = String(entry.skipped.map { $0 == "\n" ? " " : $0 })
        let header = "hull-seccomp 2\n\(key.utf8.count)\n\(key)\(skipped)\n"
        do {
            if !FileIO.isDirectory(directory), mkdir(directory, 0o700) != 0, errno != EEXIST {
                Log.debug("seccomp cache: mkdir \(directory): \(Errno.describe(errno))")
                return
            }
            try FileIO.writeAtomically(Array(header.utf8) + entry.program, to: path(for: key), mode: 0o600)
        } catch {
            Log.debug("seccomp cache: \(error)")
        }
    }

    private func path(for key: String) -> String {
        let hash = Self.fnv1a(key)
        let hex = String(hash, radix: 16)
        return directory + "/" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    private func line(_ bytes: inout ArraySlice<UInt8>) -> String? {
        guard let end = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let text = String(decoding: bytes[bytes.startIndex..<end], as: UTF8.self)
        bytes = bytes[(end + 1)...]
        return text
    }

    static func fnv1a(_ text: String) -> UInt64 {
        text.utf8.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01b3 }
    }
}
