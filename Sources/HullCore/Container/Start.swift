#if canImport(Glibc)
import Glibc
#endif

extension Lifecycle {
    /// `hull start`: lets a `created` container's init exec the user's process, then runs the
    /// poststart hooks (their failures are warnings).
    public func start(id: String) throws {
        let lock = try store.lock(id: id)
        defer { lock.unlock() }
        let record = try store.load(id: id)
        let status = store.status(of: record)
        guard status == .created else {
            throw HullError("cannot start a container that is \(status.rawValue): \(id)")
        }
        try ExecFifo.release(at: store.execFifoPath(id: id), state: stateJSON(record, status: .created))
        FaultInjection.point("start.released")
        if unlink(store.execFifoPath(id: id)) != 0 {
            throw HullError("remove \(store.execFifoPath(id: id)): \(Errno.describe(errno))")
        }
        FaultInjection.point("start.poststart")
        let hooks = record.mayHaveHooks(.poststart) ? try savedSpec(id: id).hooks?.poststart ?? [] : []
        HookRunner.runWarning(hooks, kind: .poststart, state: stateJSON(record, status: .running))
    }
}
