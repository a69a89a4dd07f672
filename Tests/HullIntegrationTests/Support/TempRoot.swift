import Foundation

/// A private state directory for one test, passed to hull (and runc) as `--root`.
///
/// Each test gets its own, so containers from different tests (or a crashed earlier run) can never
/// collide on an ID, and a leftover state directory is the test's own bug.
///
///     let root = try TempRoot()
///     // hull --root \(root.path) run --bundle ... ID
///     assertNoStateDir(root: root.path, id: "ID")
///
/// The directory is deleted by `remove()` or when the value is released.
final class TempRoot {
    /// The directory (absolute, existing, mode 0700 like /run/runc).
    let path: String

    init() throws {
        path = try TempDirectory.make(prefix: "hull-root-")
        guard chmod(path, 0o700) == 0 else {
            let reason = String(cString: strerror(errno))
            TempDirectory.remove(path)
            throw HarnessError("chmod \(path): \(reason)")
        }
    }

    deinit {
        remove()
    }

    /// `path + "/" + id`: where runc-style runtimes keep one container's state.
    func stateDir(of id: String) -> String {
        path + "/" + id
    }

    /// Deletes the directory and everything in it. Safe to call twice.
    func remove() {
        TempDirectory.remove(path)
    }
}
