import Glibc

/// An exclusive lock on one container, held while a command reads and changes it.
///
/// Design: the lock is `flock(LOCK_EX)` on the container's directory `ROOT/ID` itself, opened
/// `O_RDONLY | O_DIRECTORY | O_CLOEXEC`. There is no separate lock file, so nothing can linger
/// after `delete`: removing the directory removes the lock with it.
///
/// A command that waited for the lock may wake up on a directory that the previous holder deleted
/// (or deleted and re-created for a new container with the same ID). So after `flock` returns,
/// `StateStore.lock(id:)` compares the locked directory with what `ROOT/ID` names now: gone →
/// `container "ID" does not exist`; another inode → it locks the new directory instead.
///
/// The lock belongs to the open file description, and is released when the last fd sharing it
/// is closed. A process forked while the lock is held shares it: the child side of clone must
/// close `fileDescriptor` (O_CLOEXEC alone is not enough for a child that waits before execve,
/// such as a container init blocked on the exec fifo), or `hull start` would wait for it forever.
public final class ContainerLock {
    public let id: String
    /// `ROOT/ID`.
    public let directory: String
    /// The fd holding the lock; -1 after `unlock()`.
    public private(set) var fileDescriptor: Int32

    init(id: String, directory: String, fileDescriptor: Int32) {
        self.id = id
        self.directory = directory
        self.fileDescriptor = fileDescriptor
    }

    /// Releases the lock (closing the fd). Safe to call more than once; `deinit` calls it too.
    public func unlock() {
        guard fileDescriptor >= 0 else { return }
        close(fileDescriptor)
        fileDescriptor = -1
    }

    deinit { unlock() }
}
