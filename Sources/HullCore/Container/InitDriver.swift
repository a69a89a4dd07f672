#if canImport(Glibc)
import Glibc
#endif
import CHullShim

/// The parent's half of the sync protocol with a new init process: writes its id maps, moves
/// it into its cgroup, lets it go, runs the hooks at its hook point, and waits until it is
/// ready (or reports why it failed).
struct InitDriver {
    let pid: Int32
    let sync: Int32
    let plan: ChildPlan
    let spec: Spec
    let cgroup: CgroupManager
    let state: () -> String

    func run() throws {
        if plan.newUserNamespace { try writeIdMaps() }
        try cgroup.create(pid: pid)
        try send(.go)
        while true {
            var message = hull_sync_msg()
            var passedFd: Int32 = -1
            guard hull_sync_recv_fd(sync, &message, &passedFd) == 0 else { throw initExited() }
            defer { if passedFd >= 0 { close(passedFd) } }
            switch Int(message.type) {
            case Int(HULL_SYNC_HOOKS.rawValue):
                try runCreateHooks()
                try send(.go)
            case Int(HULL_SYNC_SECCOMP.rawValue):
                guard passedFd >= 0 else { throw HullError("container init sent no seccomp notify fd") }
                try SeccompListener.send(notifyFd: passedFd, pid: pid, seccomp: spec.linux?.seccomp, state: state())
                try send(.go)
            case Int(HULL_SYNC_READY.rawValue):
                return
            case Int(HULL_SYNC_ERROR.rawValue):
                let text = withUnsafeBytes(of: message.text) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                throw HullError(message.err != 0 ? "\(text): \(Errno.describe(message.err))" : text)
            default:
                throw HullError("container init sent an unknown message \(message.type)")
            }
        }
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

    /// uid_map and gid_map of a new user namespace, written by the parent (root on the host).
    private func writeIdMaps() throws {
        let linux = spec.linux
        try writeMap(linux?.uidMappings ?? [], to: "uid_map", field: "linux.uidMappings")
        try writeMap(linux?.gidMappings ?? [], to: "gid_map", field: "linux.gidMappings")
    }

    private func writeMap(_ mappings: [LinuxIDMapping], to file: String, field: String) throws {
        guard !mappings.isEmpty else { throw HullError("config.json: \(field): a new user namespace needs mappings") }
        let text = mappings.map { "\($0.containerID) \($0.hostID) \($0.size)\n" }.joined()
        do {
            try FileIO.write(text, to: "/proc/\(pid)/\(file)")
        } catch let error as HullError {
            throw HullError("config.json: \(field): \(error.message)")
        }
    }
}
