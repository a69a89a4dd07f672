#if canImport(Glibc)
import Glibc
#endif
import CHullShim

/// The parent's half of the sync protocol with a new process: `prepare` (id maps, cgroup)
/// before it goes on, the hooks at its hook point, the seccomp notify fd and the pty master it
/// sends, until it is ready (or reports why it failed).
///
/// A container's init reports READY and then waits for `start`; an exec'd process goes
/// straight on to execve, so for it (`readyAtExec`) the sync socket closing is success.
struct InitDriver {
    let pid: Int32
    let sync: Int32
    let spec: Spec
    var readyAtExec = false
    let prepare: () throws -> Void
    /// Called when the process reports that it entered its cgroup (CgroupEntry.isReported).
    var joined: () throws -> Void = {}
    let state: () -> String

    /// Returns the pty master the process sent (process.terminal), owned by the caller.
    func run() throws -> Int32? {
        var console: Int32?
        do {
            try prepare()
            try send(.go)
            while try !receive(console: &console) {}
            return console
        } catch {
            if let console { close(console) }
            throw error
        }
    }

    /// Handles one message; true once the process is ready.
    private func receive(console: inout Int32?) throws -> Bool {
        var message = hull_sync_msg()
        var passedFd: Int32 = -1
        guard hull_sync_recv_fd(sync, &message, &passedFd) == 0 else {
            if readyAtExec && errno == EPIPE { return true }
            throw initExited()
        }
        defer { if passedFd >= 0 { close(passedFd) } }
        switch Int(message.type) {
        case Int(HULL_SYNC_HOOKS.rawValue):
            try runCreateHooks()
            try send(.go)
        case Int(HULL_SYNC_SECCOMP.rawValue):
            guard passedFd >= 0 else { throw HullError("container init sent no seccomp notify fd") }
            try SeccompListener.send(notifyFd: passedFd, pid: pid, seccomp: spec.linux?.seccomp, state: state())
            try send(.go)
        case Int(HULL_SYNC_CONSOLE.rawValue):
            guard passedFd >= 0 else { throw HullError("container process sent no pty") }
            console = passedFd
            passedFd = -1
        case Int(HULL_SYNC_JOINED.rawValue):
            try joined()
        case Int(HULL_SYNC_READY.rawValue):
            return true
        case Int(HULL_SYNC_ERROR.rawValue):
            let text = withUnsafeBytes(of: message.text) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            throw HullError(message.err != 0 ? "\(text): \(Errno.describe(message.err))" : text)
        default:
            throw HullError("container init sent an unknown message \(message.type)")
        }
        return false
    }

    private enum Message { case go }

    private func send(_ message: Message) throws {
        guard hull_sync_send(sync, Int32(HULL_SYNC_GO.rawValue)) == 0 else { throw initExited() }
    }

    private func initExited() -> HullError {
        HullError("container init process exited during setup")
    }

    /// runtime.md: prestart (deprecated) and createRuntime in the runtime namespace,
    /// createContainer in the container's namespaces; all before pivot_root.
    private func runCreateHooks() throws {
        guard let hooks = spec.hooks else { return }
        let state = state()
        try HookRunner.run(hooks.prestart ?? [], kind: .prestart, state: state)
        try HookRunner.run(hooks.createRuntime ?? [], kind: .createRuntime, state: state)
        try HookRunner.run(hooks.createContainer ?? [], kind: .createContainer, state: state, namespacesOf: pid)
    }

}
