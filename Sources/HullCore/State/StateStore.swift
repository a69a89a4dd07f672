#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc

/// hull's state directory: one directory per container under `root` (see docs/state-store.md).
///
///     ROOT/                 mode 0700, created on first use
///     ROOT/ID/              mode 0711; its existence reserves the ID; flock'ed by ContainerLock
///     ROOT/ID/state.json    the ContainerRecord, replaced atomically by save()
///     ROOT/ID/exec.fifo     made by create, removed when start has run the process
///
/// Every fd is opened O_CLOEXEC.
public struct StateStore: Sendable {
    /// runc uses /run/runc; hull keeps its own root so the two never read each other's state.
    /// An unprivileged caller's is under $XDG_RUNTIME_DIR (Rootless.defaultStateRoot).
    public static var defaultRoot: String { Rootless.defaultStateRoot }

    /// The absolute state root.
    public let root: String

    /// A store at `root`; a relative path is taken from the current directory.
    public init(root: String = StateStore.defaultRoot) {
        self.root = StateStore.absolute(root)
    }

    // MARK: Paths

    /// `ROOT/ID`.
    public func directory(id: String) -> String { root + "/" + id }
    /// `ROOT/ID/state.json`.
    public func stateFilePath(id: String) -> String { directory(id: id) + "/state.json" }
    /// `ROOT/ID/exec.fifo`: exists from create until start; an init waiting on it means `created`.
    public func execFifoPath(id: String) -> String { directory(id: id) + "/exec.fifo" }

    /// Whether `ROOT/ID/exec.fifo` exists (of any file type).
    /// Whether the init still waits on `ROOT/ID/exec.fifo`: the fifo exists and a reader holds it
    /// (opening it to write does not fail with ENXIO). The init closes it once `start` has
    /// released it, so a `start` killed before it removed the fifo leaves a fifo nobody holds,
    /// and the container counts as running, not created.
    public func initWaitsOnExecFifo(id: String) -> Bool {
        let fd = open(execFifoPath(id: id), O_WRONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return false }
        close(fd)
        return true
    }

    /// Whether `ROOT/ID` exists (with or without a readable state.json).
    public func exists(id: String) -> Bool {
        var info = stat()
        return ContainerID.isValid(id) && lstat(directory(id: id), &info) == 0
    }

    // MARK: Create, load, save, remove

    /// Reserves `id` by making `ROOT/ID` (mode 0711; ROOT is made 0700 if missing) and returns its
    /// path. mkdir fails with EEXIST if the directory exists, so of two concurrent creates of one
    /// ID exactly one succeeds. Use `createLocked(id:)` to hold the container lock from the start.
    @discardableResult
    public func create(id: String) throws -> String {
        try ContainerID.validate(id)
        do {
            try StateFileSystem.makeDirectories(root, mode: 0o700)
        } catch {
            throw error.hullError
        }
        let path = directory(id: id)
        guard mkdir(path, 0o711) == 0 else {
            switch errno {
            case EEXIST: throw HullError("container \"\(id)\" already exists")
            case ENAMETOOLONG: throw HullError("invalid container ID (\(id.utf8.count) bytes): too long for a directory name")
            default: throw StateFileSystem.failure(path, "mkdir").hullError
            }
        }
        chmod(path, 0o711) // mkdir's mode is filtered by the umask
        return path
    }

    /// `create(id:)` followed at once by `lock(id:)`: the creator holds the lock before it writes
    /// the first state.json.
    public func createLocked(id: String) throws -> ContainerLock {
        try create(id: id)
        return try lock(id: id)
    }

    /// The record in `ROOT/ID/state.json`. A missing directory or a directory without state.json
    /// (create has not saved yet) is `container "ID" does not exist`.
    public func load(id: String) throws -> ContainerRecord {
        try ContainerID.validate(id)
        let path = stateFilePath(id: id)
        let bytes: [UInt8]
        do {
            bytes = try StateFileSystem.readFile(path)
        } catch {
            if error.code == ENOENT || error.code == ENOTDIR { throw doesNotExist(id) }
            throw error.hullError
        }
        let record = try decodeRecord(bytes, path: path)
        guard record.id == id else {
            throw HullError("\(path): id \"\(record.id)\" does not match the directory name \"\(id)\"")
        }
        return record
    }

    /// A state.json's record: read from hull's own JSON tree when it is a record as hull writes
    /// it (`ContainerRecord(stateTree:)`, cheap), else decoded with JSONDecoder, whose errors
    /// name the damaged field.
    private func decodeRecord(_ bytes: [UInt8], path: String) throws -> ContainerRecord {
        if let tree = try? JSONParser.parse(bytes), let record = ContainerRecord(stateTree: tree) {
            return record
        }
        do {
            return try JSONDecoder().decode(ContainerRecord.self, from: Data(bytes))
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            throw HullError("\(path): invalid state: not valid JSON")
        } catch let error as DecodingError {
            throw HullError("\(path): invalid state: \(SpecDecodingError.describe(error))")
        } catch {
            throw HullError("\(path): invalid state: \(oneLine(error))")
        }
    }

    /// Writes `record` to `ROOT/ID/state.json` atomically: a temporary file `state.json.tmp-PID` is
    /// written, fsync'ed and renamed over state.json, so a reader sees the old or the new record,
    /// never a torn one. The directory must exist (`create(id:)`).
    public func save(_ record: ContainerRecord) throws {
        try ContainerID.validate(record.id)
        do {
            try StateFileSystem.writeFileAtomically(stateFilePath(id: record.id), Array(JSONWriter.compact(record.stateTree).utf8))
        } catch {
            if error.code == ENOENT { throw doesNotExist(record.id) }
            throw error.hullError
        }
    }

    /// Removes `ROOT/ID` and everything in it (state.json, exec.fifo, ...).
    public func remove(id: String) throws {
        try ContainerID.validate(id)
        guard exists(id: id) else { throw doesNotExist(id) }
        let rootFD = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard rootFD >= 0 else { throw StateFileSystem.failure(root, "open").hullError }
        defer { close(rootFD) }
        do {
            try StateFileSystem.removeTree(parentFD: rootFD, name: id, path: directory(id: id))
        } catch {
            throw error.hullError
        }
    }

    /// Every container with a readable state.json, sorted by ID. Directories without one (a
    /// create in progress, a crashed create) and names that are not container IDs are skipped;
    /// an unreadable state.json is skipped with a warning naming it, as runc does.
    /// A missing root means no containers.
    public func list() -> [ContainerRecord] {
        guard let names = try? StateFileSystem.directoryEntries(root) else { return [] }
        return names
            .filter(ContainerID.isValid)
            .compactMap(loadForListing)
            .sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
    }

    private func loadForListing(id: String) -> ContainerRecord? {
        do {
            return try load(id: id)
        } catch {
            if hasStateFile(id: id) { Log.warn("load container \(id): \(oneLine(error))") }
            return nil
        }
    }

    /// Whether `ROOT/ID/state.json` exists, readable or not.
    public func hasStateFile(id: String) -> Bool {
        var info = stat()
        return lstat(stateFilePath(id: id), &info) == 0
    }

    // MARK: Locking

    /// Takes the container's exclusive lock, waiting for any other holder (see `ContainerLock`).
    public func lock(id: String) throws -> ContainerLock {
        try ContainerID.validate(id)
        let path = directory(id: id)
        while true {
            let fd = StateFileSystem.retryingEINTR { open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
            guard fd >= 0 else {
                if errno == ENOENT || errno == ENOTDIR { throw doesNotExist(id) }
                throw StateFileSystem.failure(path, "open").hullError
            }
            let lock = ContainerLock(id: id, directory: path, fileDescriptor: fd)
            guard StateFileSystem.retryingEINTR({ flock(fd, LOCK_EX) }) == 0 else {
                throw StateFileSystem.failure(path, "flock").hullError
            }
            var locked = stat()
            var current = stat()
            guard fstat(fd, &locked) == 0 else { throw StateFileSystem.failure(path, "fstat").hullError }
            guard lstat(path, &current) == 0 else {
                if errno == ENOENT { throw doesNotExist(id) }
                throw StateFileSystem.failure(path, "stat").hullError
            }
            if locked.st_dev == current.st_dev && locked.st_ino == current.st_ino { return lock }
            // The directory was deleted and made again while we waited: lock the new one.
        }
    }

    /// Runs `body` while holding the container's lock.
    public func withLock<T>(id: String, _ body: (ContainerLock) throws -> T) throws -> T {
        let lock = try lock(id: id)
        defer { lock.unlock() }
        return try body(lock)
    }

    // MARK: Status

    /// The derived status of `record` (see `ContainerStatus.derive`).
    public func status(of record: ContainerRecord, freezer: FreezerProbe = .cgroup) -> ContainerStatus {
        ContainerStatus.current(of: record, in: self, freezer: freezer)
    }

    /// The runtime-spec state of `record`, with its status derived now.
    public func state(of record: ContainerRecord, freezer: FreezerProbe = .cgroup) -> ContainerState {
        ContainerState(record: record, status: status(of: record, freezer: freezer))
    }

    // MARK: Helpers

    private func doesNotExist(_ id: String) -> HullError {
        HullError("container \"\(id)\" does not exist")
    }

    private func oneLine(_ error: Error) -> String {
        String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    private static func absolute(_ path: String) -> String {
        var trimmed = path
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        if trimmed.hasPrefix("/") { return trimmed }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return trimmed }
        let cwd = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return (cwd == "/" ? "" : cwd) + "/" + (trimmed == "." ? "" : trimmed)
    }
}
