#if canImport(Glibc)
import Glibc
#endif

/// What `hull restore` is asked for: runc's flags.
public struct RestoreRequest: Sendable {
    public var id: String
    public var bundle: String
    public var imagePath: String
    public var workPath: String?
    public var detach = false
    public var pidFile: String?
    public var consoleSocket: String?
    /// Accepted as runc accepts it; CRIU sets up the restored root itself.
    public var noPivot = false
    public var tcpEstablished = false
    public var extUnixSk = false
    public var shellJob = false
    public var fileLocks = false
    public var autoDedup = false
    public var lazyPages = false
    public var manageCgroupsMode: CriuCgroupMode = .default
    public var emptyNamespaces: UInt32 = 0
    public var criu = "criu"

    public init(id: String, bundle: String, imagePath: String) {
        self.id = id
        self.bundle = bundle
        self.imagePath = imagePath
    }
}

extension Lifecycle {
    /// `hull restore`: a new container `id` from the bundle's config.json whose processes CRIU
    /// restores from the images, in the container's cgroup, with hull's stdio in place of the
    /// pipes the checkpointed init had. It is recorded like a started container (pid, start
    /// time, cgroup), so state, exec, kill, pause and delete work on it. Unless `detach`, waits
    /// for the init (forwarding signals), deletes the container and returns its exit code.
    public func restore(_ request: RestoreRequest) throws -> Int32 {
        try CheckpointSupport.requireRoot("restore")
        let criu = try CriuService.locate(request.criu)
        try ContainerID.validate(request.id)
        let blocked = request.detach ? nil : ForwardedSignals.block()
        defer { blocked?.restore() }
        let pid = try restoreLocked(request, criu: criu)
        guard let blocked else { return 0 }
        let status = ForegroundSession(pid: pid, console: nil).wait(signals: blocked.signals)
        try delete(id: request.id, force: true)
        return status
    }

    /// The restore itself, under the new container's lock; returns the restored init's pid.
    private func restoreLocked(_ request: RestoreRequest, criu: CriuService) throws -> Int32 {
        let imagePath = Path.absolute(request.imagePath, relativeTo: FileIO.currentDirectory())
        try Self.requireCheckpoint(imagePath)
        let descriptors = try CheckpointDescriptors.read(from: imagePath)
        let bundle = Path.absolute(request.bundle, relativeTo: FileIO.currentDirectory())
        let configBytes = try Self.readConfig(bundle: bundle)
        let spec = try Spec.decode(configBytes)
        try spec.validate()
        guard let root = spec.root else { throw HullError("config.json: root: required field missing") }
        if spec.process?.terminal == true && request.consoleSocket == nil {
            throw HullError("restore: process.terminal is set: --console-socket is needed to receive the restored pty")
        }
        let hierarchies = try CgroupHierarchies.current()
        let cgroup = CgroupManager(cgroupsPath: spec.linux?.cgroupsPath, id: request.id, hierarchies: hierarchies,
                                   resources: spec.linux?.resources, devices: spec.linux?.devices ?? [])
        let images = try CheckpointDirectory(imagePath, flag: "--image-path", create: false)
        defer { images.close() }
        let work = try request.workPath.map { try CheckpointDirectory($0, flag: "--work-path", create: true) } ?? images
        defer { if work.fd != images.fd { work.close() } }

        let lock = try store.createLocked(id: request.id)
        defer { lock.unlock() }
        var record = ContainerRecord(id: request.id, bundle: bundle, rootfs: Path.absolute(root.path, relativeTo: bundle),
                                     annotations: spec.annotations ?? [:], cgroupPaths: cgroup.paths)
        record.laterHooks = (spec.hooks?.poststop ?? []).isEmpty ? [] : [HookRunner.Kind.poststop.rawValue]
        var pid: Int32 = 0
        let log = "restore.log"
        do {
            try FileIO.writeAtomically(configBytes, to: store.directory(id: request.id) + "/config.json", mode: 0o600)
            var options = try restoreOptions(request, spec: spec, bundle: bundle, cgroup: cgroup, images: images, work: work, log: log)
            options.inheritFds = CheckpointDescriptors.inheritFds(descriptors)
            let namespaces = try CriuNamespaces.forRestore(spec: spec)
            defer { namespaces.fds.forEach { close($0) } }
            options.inheritFds += namespaces.inherit
            options.joinNamespaces = namespaces.join
            let criuRoot = try CriuRoot(rootfs: record.rootfs, at: store.directory(id: request.id) + "/criu-root")
            defer { criuRoot.remove() }
            options.root = criuRoot.path
            let response = try criu.run(extraFds: namespaces.fds, { criuPid in
                // As runc: CRIU runs in the container's cgroup, so what it restores starts there.
                try cgroup.create(pid: criuPid)
                var options = options
                options.cgroupRoots = Self.cgroupRoots(of: criuPid, unified: hierarchies.mode == .unified)
                return CriuRequest(type: .restore, options: options)
            }, notify: { response, fd in
                try self.restoreNotified(response, fd: fd, spec: spec, record: record, consoleSocket: request.consoleSocket,
                                         restoredPid: &pid)
            })
            if let restored = response.restoredPid, restored > 0 { pid = restored }
            guard pid > 0 else { throw HullError("restore: CRIU did not name the restored process") }
            record.pid = pid
            record.pidStartTime = ProcStat.read(pid: pid)?.startTime ?? 0
            record.status = .created   // no exec fifo: status derives as running
            try store.save(record)
            if let pidFile = request.pidFile {
                try PidFile.write(pid, to: Path.absolute(pidFile, relativeTo: FileIO.currentDirectory()))
            }
            return pid
        } catch {
            discardFailedRestore(id: request.id, pid: pid, cgroup: cgroup)
            throw CheckpointSupport.explain(error, command: "restore", log: work.path + "/" + log,
                                            logKept: true)
        }
    }

    private func restoreOptions(_ request: RestoreRequest, spec: Spec, bundle: String, cgroup: CgroupManager,
                                images: CheckpointDirectory, work: CheckpointDirectory, log: String) throws -> CriuOptions {
        var options = CriuOptions()
        options.imagesDirFd = images.fd
        if work.fd != images.fd { options.workDirFd = work.fd }
        options.logFile = log
        options.evasiveDevices = true
        options.restoreSibling = true   // the restored init becomes hull's child, not CRIU's
        options.tcpEstablished = request.tcpEstablished
        options.extUnixSk = request.extUnixSk
        options.shellJob = request.shellJob
        options.fileLocks = request.fileLocks
        options.autoDedup = request.autoDedup
        options.lazyPages = request.lazyPages
        options.manageCgroupsMode = request.manageCgroupsMode
        options.emptyNamespaces = request.emptyNamespaces
        options.externalMounts = try CriuMounts.forRestore(spec: spec, bundle: bundle, cgroup: cgroup)
        return options
    }

    /// CRIU's notifications during a restore: the namespaces exist (prestart and createRuntime
    /// hooks run, as in runc), the process tree is restored (its pid), a restored pty master
    /// (sent on to --console-socket).
    private func restoreNotified(_ response: CriuResponse, fd: Int32?, spec: Spec, record: ContainerRecord,
                                 consoleSocket: String?, restoredPid: inout Int32) throws {
        switch response.notifyScript {
        case "setup-namespaces":
            var state = record
            state.pid = response.notifyPid ?? 0
            let json = stateJSON(state, status: .creating)
            try HookRunner.run(spec.hooks?.prestart ?? [], kind: .prestart, state: json)
            try HookRunner.run(spec.hooks?.createRuntime ?? [], kind: .createRuntime, state: json)
        case "post-restore":
            restoredPid = response.notifyPid ?? 0
        case "orphan-pts-master":
            if let fd {
                defer { close(fd) }
                if let consoleSocket { try ConsoleSocket.send(master: fd, to: consoleSocket) }
            }
            return
        default:
            break
        }
        if let fd { close(fd) }
    }

    /// inventory.img is the first file CRIU writes and reads: without it this is no checkpoint.
    static func requireCheckpoint(_ path: String) throws {
        guard FileIO.isDirectory(path) else {
            throw HullError("--image-path \(path): \(FileIO.exists(path) ? "not a directory" : "no such directory")")
        }
        guard FileIO.exists(path + "/inventory.img") else {
            throw HullError("--image-path \(path): not a checkpoint (no inventory.img)")
        }
    }

    /// `cg_root` entries: CRIU's own cgroups (the container's, once it has been moved in), so
    /// the dumped tree's cgroups are recreated there. One default root on cgroup v2; one per
    /// controller hierarchy on v1 (runc's criuApplyCgroups).
    static func cgroupRoots(of pid: Int32, unified: Bool) -> [(controller: String?, path: String)] {
        guard let text = try? FileIO.readString("/proc/\(pid)/cgroup") else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { return nil }
            if unified { return parts[1].isEmpty ? (controller: nil, path: String(parts[2])) : nil }
            return parts[1].isEmpty ? nil : (controller: String(parts[1]), path: String(parts[2]))
        }
    }

    /// Kills what was restored (hull's child: reaped), removes the cgroup and the state directory.
    private func discardFailedRestore(id: String, pid: Int32, cgroup: CgroupManager) {
        if pid > 0 {
            Glibc.kill(pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
        cgroup.signalAll(SIGKILL)
        do { try cgroup.remove() } catch { Log.warn("\(error)") }
        do { try store.remove(id: id) } catch { Log.warn("\(error)") }
    }
}

/// The container's rootfs bound (recursively) onto ROOT/ID/criu-root for the restore: CRIU
/// wants its root to be a mount point whose parent is not overmounted (as runc does it).
struct CriuRoot {
    let path: String

    init(rootfs: String, at path: String) throws {
        guard mkdir(path, 0o755) == 0 else { throw HullError("restore: mkdir \(path): \(Errno.describe(errno))") }
        guard mount(rootfs, path, nil, UInt(MS_BIND | MS_REC), nil) == 0 else {
            let reason = Errno.describe(errno)
            rmdir(path)
            throw HullError("restore: bind \(rootfs) to \(path): \(reason)")
        }
        self.path = path
    }

    func remove() {
        if umount2(path, Int32(MNT_DETACH)) != 0 { Log.warn("restore: unmount \(path): \(Errno.describe(errno))") }
        if rmdir(path) != 0 { Log.warn("restore: rmdir \(path): \(Errno.describe(errno))") }
    }
}
