#if canImport(Glibc)
import Glibc
#endif

/// An image or work directory handed to CRIU as an open fd (`images_dir_fd`, `work_dir_fd`).
/// A checkpoint makes it when missing (mode 0700, as runc) and removes it again if the
/// checkpoint fails, so a failure leaves nothing behind; one that existed is left as it was.
struct CheckpointDirectory {
    let path: String
    let fd: Int32
    let created: Bool

    /// Opens `path` (relative: from the current directory); `create` makes it first if missing.
    init(_ path: String, flag: String, create: Bool) throws {
        self.path = Path.absolute(path, relativeTo: FileIO.currentDirectory())
        var made = false
        if create {
            if mkdir(self.path, 0o700) == 0 {
                made = true
            } else if errno != EEXIST {
                throw HullError("\(flag) \(self.path): \(Errno.describe(errno))")
            }
        }
        let fd = open(self.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = Errno.describe(errno)
            if made { rmdir(self.path) }
            throw HullError("\(flag) \(self.path): \(reason)")
        }
        self.fd = fd
        created = made
    }

    func close() {
        _ = Glibc.close(fd)
    }

    /// After a failure: removes the directory and what CRIU wrote into it, if hull made it.
    func discardIfCreated() {
        guard created else { return }
        let parent = open(Path.dirname(path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard parent >= 0 else { return }
        defer { _ = Glibc.close(parent) }
        let name = String(path.split(separator: "/").last ?? "")
        do {
            try StateFileSystem.removeTree(parentFD: parent, name: name, path: path)
        } catch {
            Log.warn("remove \(path): \(error.hullError.message)")
        }
    }
}

/// The checks both commands make before anything else, and the reading of CRIU's failures.
enum CheckpointSupport {
    /// CRIU needs root (CAP_SYS_ADMIN and ptrace of the container): a rootless caller is told
    /// so at once rather than by CRIU half-way through.
    static func requireRoot(_ command: String) throws {
        guard geteuid() == 0 else {
            throw HullError("\(command) needs root: CRIU cannot \(command) a container for a rootless caller (euid \(geteuid()))")
        }
    }

    /// One line for a failed CRIU request: CRIU cannot run on this kernel at all (its kernel
    /// feature detection failed, as `criu check` would show), or the first error of its log.
    static func explain(_ error: Error, command: String, log: String, logKept: Bool) -> Error {
        guard let failure = error as? CriuFailure else { return error }
        if CriuLog.kernelDetectionFailed(in: log) {
            let cause = CriuLog.firstError(in: log).map { " (\($0))" } ?? ""
            return HullError("\(command): CRIU does not work on this kernel\(cause): run `criu check` for details")
        }
        var message = "\(command): \(failure.summary)"
        if let first = CriuLog.firstError(in: log), !message.hasSuffix(first) { message += ": " + first }
        if logKept { message += " (log: \(log))" }
        return HullError(message)
    }
}
