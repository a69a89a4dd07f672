#if canImport(Glibc)
import Glibc
import CHullShim
#endif

extension Lifecycle {
    /// `hull exec`: runs a new process in a running container, in all its namespaces and its
    /// cgroup. Unless `detach`, waits for it (proxying its terminal, forwarding signals) and
    /// returns its exit status (128+N when killed by signal N).
    public func exec(_ request: ExecRequest) throws -> Int32 {
        let blocked = ForwardedSignals.block()
        defer { blocked.restore() }
        let started = try startExec(request)
        if request.detach { return 0 }
        return ForegroundSession(pid: started.pid, console: started.console).wait(signals: blocked.signals)
    }

    /// Creates the process under the container's lock; returns it once it has exec'd.
    private func startExec(_ request: ExecRequest) throws -> CreatedInit {
        let lock = try store.lock(id: request.id)
        defer { lock.unlock() }
        let record = try store.load(id: request.id)
        let status = store.status(of: record)
        try Self.checkExecutable(status, id: request.id, ignorePaused: request.ignorePaused)
        let spec = try savedSpec(id: request.id)
        let process = try execProcess(request.process, spec: spec)
        try TerminalRules.check(terminal: process.terminal ?? false, consoleSocket: request.consoleSocket,
                                detached: request.detach)
        let cgroup = try CgroupManager(paths: record.cgroupPaths).subCgroup(request.subCgroups)

        guard let target = ExecTarget(ProcessHandle(pid: record.pid, startTime: record.pidStartTime)) else {
            throw HullError("cannot exec in a stopped container: \(request.id)")
        }
        defer { target.close() }
        let plan = try ChildPlan(exec: process, spec: spec, id: request.id, target: target,
                                 preserveFds: request.preserveFds, seccompCache: SeccompCache(root: store.root))
        // The process enters the cgroup itself (CgroupEntry), except where hull must move it:
        // into a frozen cgroup it would freeze before it could say so, and the affinity of
        // --exec-cpu-affinity's "initial" applies before it joins.
        let entry = status == .paused || process.execCPUAffinity != nil ? .none : try CgroupEntry(cgroup, reported: true)
        defer { entry.close() }
        let (pid, sync, inV2Cgroup) = try spawn(plan, fifo: -1, lock: lock.fileDescriptor, cgroupEntry: entry)
        defer { close(sync) }
        FaultInjection.point("exec.spawned")
        // In the cgroup, the process cannot escape `delete`: the lock can go. It must before
        // GO when hull moves the process: in a paused container (--ignore-paused) the process
        // stays frozen until `resume`, which takes the lock.
        let joined = {
            FaultInjection.point("exec.joined")
            try process.execCPUAffinity?.applyFinal(to: pid)
            lock.unlock()
        }
        var console: Int32?
        do {
            console = try InitDriver(pid: pid, sync: sync, spec: spec, readyAtExec: true, prepare: {
                try process.execCPUAffinity?.applyInitial(to: pid)
                try cgroup.join(pid: pid, keys: entry.keysLeftToJoin(of: cgroup, inV2Cgroup: inV2Cgroup))
                if !entry.isReported { try joined() }
            }, joined: joined, state: { stateJSON(record, status: .running) }).run()
            FaultInjection.point("exec.go")
            if let pidFile = request.pidFile {
                try PidFile.write(pid, to: Path.absolute(pidFile, relativeTo: FileIO.currentDirectory()))
            }
            console = try ConsoleSocket.handOver(console, to: request.consoleSocket)
            return CreatedInit(pid: pid, console: console)
        } catch {
            if let console { close(console) }
            Glibc.kill(pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            throw error
        }
    }

    /// runc's rules: a created or running container takes new processes; a paused one only
    /// with --ignore-paused (the process then starts frozen).
    static func checkExecutable(_ status: ContainerStatus, id: String, ignorePaused: Bool) throws {
        switch status {
        case .created, .running:
            return
        case .paused where ignorePaused:
            return
        case .paused:
            throw HullError("cannot exec in a paused container (use --ignore-paused to override): \(id)")
        default:
            throw HullError("cannot exec in a \(status.rawValue) container: \(id)")
        }
    }

    /// The process to run: a process.json, or config.json's process with the flags' changes.
    private func execProcess(_ source: ExecProcessSource, spec: Spec) throws -> Process {
        let process: Process
        switch source {
        case .file(let path):
            process = try ProcessFile.read(Path.absolute(path, relativeTo: FileIO.currentDirectory()))
        case .changes(let changes):
            guard let base = spec.process else { throw HullError("config.json: process: missing") }
            process = changes.applied(to: base)
        }
        try ProcessFile.validate(process, spec: spec, source: source)
        return process
    }
}
