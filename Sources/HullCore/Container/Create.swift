#if canImport(Glibc)
import Glibc
#endif
import CHullShim

/// What `hull create` (and `hull run`) are asked for.
public struct CreateRequest: Sendable {
    public var id: String
    public var bundle: String
    public var pidFile: String?
    public var launch: LaunchOptions
    /// A unix socket to send a pidfd of the init process to (runc 1.2+'s --pidfd-socket).
    public var pidfdSocket: String?
    /// A unix socket to send the pty master to (process.terminal in a detached container).
    public var consoleSocket: String?
    /// `--rootless`: whether a cgroup the caller may not create is skipped (RootlessCgroup).
    public var rootless: RootlessMode
    /// `--systemd-cgroup`: the cgroup is a transient systemd unit (SystemdScope).
    public var systemdCgroup = false

    public init(id: String, bundle: String, pidFile: String? = nil, launch: LaunchOptions = LaunchOptions(),
                pidfdSocket: String? = nil, consoleSocket: String? = nil, rootless: RootlessMode = .auto) {
        self.id = id
        self.bundle = bundle
        self.pidFile = pidFile
        self.launch = launch
        self.pidfdSocket = pidfdSocket
        self.consoleSocket = consoleSocket
        self.rootless = rootless
    }
}

/// A created container's init, and the master of its pty when hull keeps it (`run` in the
/// foreground with process.terminal).
struct CreatedInit {
    var pid: Int32
    var console: Int32?
}

extension Lifecycle {
    /// `hull create`: starts the init process in all its namespaces and cgroup, blocked before
    /// execve until `start`. Returns the init's pid. On any failure nothing is left behind.
    @discardableResult
    public func create(_ request: CreateRequest) throws -> Int32 {
        try create(request, detached: true).pid
    }

    /// `create`, for `run` too: a container run in the foreground (not `detached`) passes its
    /// terminal to the caller instead of a console socket.
    func create(_ request: CreateRequest, detached: Bool) throws -> CreatedInit {
        var timer = StepTimer()
        try ContainerID.validate(request.id)
        let bundle = Path.absolute(request.bundle, relativeTo: FileIO.currentDirectory())
        let configBytes = try Self.readConfig(bundle: bundle)
        let spec = try Spec.decode(configBytes)
        timer.mark("create: read and decode config.json")
        try spec.validate()
        try HostChecks.requireUsable(spec, bundle: bundle)
        try TerminalRules.check(terminal: spec.process?.terminal ?? false, consoleSocket: request.consoleSocket,
                                detached: detached)
        let hierarchies = try CgroupHierarchies.current()
        let systemd = request.systemdCgroup ? try SystemdScope(spec: spec, id: request.id, hierarchies: hierarchies) : nil
        var cgroup = systemd.map {
            CgroupManager(paths: $0.paths(hierarchies: hierarchies), resources: spec.linux?.resources,
                          devices: spec.linux?.devices ?? [])
        } ?? CgroupManager(cgroupsPath: spec.linux?.cgroupsPath, id: request.id, hierarchies: hierarchies,
                           resources: spec.linux?.resources, devices: spec.linux?.devices ?? [])
        if request.rootless.usesRootlessCgroups { cgroup = try cgroup.forRootless() }
        var plan = try ChildPlan(spec: spec, id: request.id, bundle: bundle, options: request.launch,
                                 cgroup: cgroup, hierarchies: hierarchies, seccompCache: SeccompCache(root: store.root))
        timer.mark("create: validate and plan")
        let listenFds = Self.listenFds()
        if listenFds > 0 {
            plan.preserveFds += listenFds
            plan.env += ["LISTEN_FDS=\(listenFds)", "LISTEN_PID=1"]
        }

        let lock = try store.createLocked(id: request.id)
        defer { lock.unlock() }
        FaultInjection.point("create.state-dir")
        var record = ContainerRecord(id: request.id, bundle: bundle, rootfs: plan.rootfs,
                                     annotations: spec.annotations ?? [:], cgroupPaths: cgroup.paths)
        record.systemdUnit = systemd?.name.unit
        record.laterHooks = [(HookRunner.Kind.poststart, spec.hooks?.poststart), (.poststop, spec.hooks?.poststop)]
            .filter { !($0.1 ?? []).isEmpty }.map(\.0.rawValue)
        var pid: Int32 = 0
        var console: Int32?
        do {
            try FileIO.writeAtomically(configBytes, to: store.directory(id: request.id) + "/config.json", mode: 0o600)
            FaultInjection.point("create.config")
            let fifo = try ExecFifo.create(at: store.execFifoPath(id: request.id))
            defer { close(fifo) }
            timer.mark("create: state directory, config copy, exec fifo")
            // With systemd, the scope's unit makes the cgroup once the init exists.
            if systemd == nil { try cgroup.create() }
            let entry = systemd == nil ? try CgroupEntry(cgroup) : .none
            defer { entry.close() }
            timer.mark("create: cgroup")
            let spawned = try spawn(plan, fifo: fifo, lock: lock.fileDescriptor, cgroupEntry: entry)
            pid = spawned.pid
            defer { close(spawned.sync) }
            FaultInjection.point("create.spawned")
            timer.mark("create: spawn")
            record.pid = pid
            record.pidStartTime = ProcStat.read(pid: pid)?.startTime ?? 0
            try store.save(record)
            FaultInjection.point("create.recorded")
            console = try InitDriver(pid: pid, sync: spawned.sync, spec: spec, prepare: {
                if plan.newUserNamespace { try IDMaps(spec).write(pid: pid) }
                if let systemd {
                    // systemd makes the scope's directory and moves the init in; then the
                    // cgroupfs manager writes every resource into it, as for a cgroup of its own.
                    try systemd.start(pid: pid)
                    try cgroup.create(pid: pid)
                } else {
                    // The init enters the rest itself, after GO (CgroupEntry).
                    try cgroup.join(pid: pid, keys: entry.keysLeftToJoin(of: cgroup, inV2Cgroup: spawned.inV2Cgroup))
                }
                FaultInjection.point("create.cgroup")
            }, state: { stateJSON(record, status: .creating) }).run()
            timer.mark("create: GO, init set up (READY)")
            FaultInjection.point("create.ready")
            record.status = .created
            try store.save(record)
            FaultInjection.point("create.saved")
            if let pidFile = request.pidFile {
                try PidFile.write(pid, to: Path.absolute(pidFile, relativeTo: FileIO.currentDirectory()))
            }
            if let socket = request.pidfdSocket {
                try PidfdSocket.send(pidOf: ProcessHandle(pid: pid, startTime: record.pidStartTime), to: socket)
            }
            console = try ConsoleSocket.handOver(console, to: request.consoleSocket)
            timer.mark("create: state saved")
            return CreatedInit(pid: pid, console: console)
        } catch {
            if let console { close(console) }
            discardFailedCreate(id: request.id, pid: pid, cgroup: cgroup, systemdUnit: record.systemdUnit)
            throw error
        }
    }

    /// Starts the process of `plan` (`fifo` -1: an exec'd process); `inV2Cgroup`: clone3
    /// created it in `cgroupEntry`'s cgroup v2 directory.
    func spawn(_ plan: ChildPlan, fifo: Int32, lock: Int32,
               cgroupEntry: CgroupEntry = .none) throws -> (pid: Int32, sync: Int32, inV2Cgroup: Bool) {
        var pid: pid_t = 0
        var sync: Int32 = -1
        var inV2Cgroup: Int32 = 0
        var err = [CChar](repeating: 0, count: 512)
        let rc = plan.withCConfig(execFifo: fifo, lockFd: lock, cgroupEntry: cgroupEntry) { config in
            hull_spawn(config, &pid, &sync, &inV2Cgroup, &err, Int32(err.count))
        }
        guard rc == 0 else {
            throw HullError("\(String(cBuffer: err)): \(Errno.describe(errno))")
        }
        return (pid, sync, inV2Cgroup != 0)
    }

    /// Kills and reaps the half-made init, removes its cgroup and its state directory.
    private func discardFailedCreate(id: String, pid: Int32, cgroup: CgroupManager, systemdUnit: String?) {
        if pid > 0 {
            Glibc.kill(pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
        if let systemdUnit, pid > 0 {
            do { try SystemdScope.stop(unit: systemdUnit) } catch { Log.warn("\(error)") }
        }
        do { try cgroup.remove() } catch { Log.warn("\(error)") }
        do { try store.remove(id: id) } catch { Log.warn("\(error)") }
    }

    static func readConfig(bundle: String) throws -> [UInt8] {
        do {
            return try ConfigFile.read(ConfigFile.path(inBundle: bundle))
        } catch {
            throw HullError("config.json: " + error.message)
        }
    }

    /// Socket activation: the LISTEN_FDS fds passed to hull pass on to the container, which
    /// gets LISTEN_FDS and LISTEN_PID=1 in its environment, as in runc.
    static func listenFds() -> Int32 {
        guard let value = getenv("LISTEN_FDS"), let count = Int32(String(cString: value)), count > 0 else { return 0 }
        return count
    }
}
