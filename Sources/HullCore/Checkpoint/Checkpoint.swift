#if canImport(Glibc)
import Glibc
#endif

/// What `hull checkpoint` is asked for: runc's flags.
public struct CheckpointRequest: Sendable {
    public var id: String
    public var imagePath: String
    public var workPath: String?
    public var parentPath: String?
    public var leaveRunning = false
    public var tcpEstablished = false
    public var extUnixSk = false
    public var shellJob = false
    public var fileLocks = false
    public var preDump = false
    public var manageCgroupsMode: CriuCgroupMode = .default
    /// CLONE_NEW* flags of namespaces whose properties are not dumped (`--empty-ns network`).
    public var emptyNamespaces: UInt32 = 0
    public var autoDedup = false
    public var lazyPages = false
    public var pageServer: (address: String, port: Int32)?
    public var statusFd: Int32?
    /// The CRIU binary (`--criu`, default "criu" from PATH).
    public var criu = "criu"

    public init(id: String, imagePath: String) {
        self.id = id
        self.imagePath = imagePath
    }

    /// `--page-server IP:PORT` (an IPv6 address may be in brackets).
    public static func parsePageServer(_ text: String) throws -> (address: String, port: Int32) {
        guard let colon = text.lastIndex(of: ":"), colon != text.startIndex,
              let port = Int32(text[text.index(after: colon)...]), port > 0, port < 65536 else {
            throw HullError("--page-server \(text): expected IP:PORT")
        }
        var address = String(text[..<colon])
        if address.hasPrefix("[") && address.hasSuffix("]") { address = String(address.dropFirst().dropLast()) }
        return (address, port)
    }
}

extension Lifecycle {
    /// `hull checkpoint`: CRIU dumps the container's processes into the image directory (with
    /// descriptors.json beside them). Unless `leaveRunning` or `preDump`, the container is then
    /// gone (its processes, cgroup and state), as after runc's checkpoint; `restore` brings it
    /// back. A failed checkpoint leaves the container running and removes what it made.
    public func checkpoint(_ request: CheckpointRequest) throws {
        try CheckpointSupport.requireRoot("checkpoint")
        let criu = try CriuService.locate(request.criu)
        try Self.checkStatusFd(request.statusFd)
        let lock = try store.lock(id: request.id)
        defer { lock.unlock() }
        let record = try store.load(id: request.id)
        let status = store.status(of: record)
        guard status == .running || status == .paused else {
            throw HullError("cannot checkpoint container \(request.id): it is \(status.rawValue), not running")
        }
        let spec = try savedSpec(id: request.id)

        let images = try CheckpointDirectory(request.imagePath, flag: "--image-path", create: true)
        defer { images.close() }
        let work: CheckpointDirectory
        do {
            work = try request.workPath.map { try CheckpointDirectory($0, flag: "--work-path", create: true) } ?? images
        } catch {
            images.discardIfCreated()
            throw error
        }
        defer { if work.fd != images.fd { work.close() } }
        let log = "dump.log"
        do {
            let options = try dumpOptions(request, record: record, spec: spec, images: images, work: work, log: log)
            if !request.preDump { try CheckpointDescriptors.write(of: record.pid, into: images.path) }
            _ = try criu.run({ _ in CriuRequest(type: request.preDump ? .preDump : .dump, options: options) },
                             notify: { response, fd in
                if let fd { close(fd) }
                if response.notifyScript == "status-ready" { Self.signalReady(request.statusFd) }
            })
        } catch {
            let logPath = work.path + "/" + log
            let explained = CheckpointSupport.explain(error, command: "checkpoint", log: logPath,
                                                      logKept: !work.created)
            if work.fd != images.fd { work.discardIfCreated() }
            images.discardIfCreated()
            throw explained
        }
        if !(request.leaveRunning || request.preDump) {
            try destroy(record)
        }
    }

    private func dumpOptions(_ request: CheckpointRequest, record: ContainerRecord, spec: Spec,
                             images: CheckpointDirectory, work: CheckpointDirectory, log: String) throws -> CriuOptions {
        var options = CriuOptions()
        options.imagesDirFd = images.fd
        if work.fd != images.fd { options.workDirFd = work.fd }
        options.logFile = log
        options.pid = record.pid
        options.root = record.rootfs
        options.leaveRunning = request.leaveRunning
        options.tcpEstablished = request.tcpEstablished
        options.extUnixSk = request.extUnixSk
        options.shellJob = request.shellJob
        options.fileLocks = request.fileLocks
        options.manageCgroupsMode = request.manageCgroupsMode
        options.emptyNamespaces = request.emptyNamespaces
        options.autoDedup = request.autoDedup
        options.lazyPages = request.lazyPages
        options.pageServer = request.pageServer
        if let parent = request.parentPath {
            options.parentImage = parent
            options.trackMem = true
        }
        // CRIU freezes the container through its freezer cgroup rather than with ptrace.
        let cgroup = CgroupManager(paths: record.cgroupPaths)
        options.freezeCgroup = cgroup.directory(for: "freezer")
        options.external = try CriuNamespaces.external(spec: spec)
        if !request.preDump {
            options.externalMounts = try CriuMounts.forDump(spec: spec, bundle: record.bundle, cgroup: cgroup,
                                                            initPid: record.pid)
        }
        return options
    }

    /// `--status-fd` must be open for writing: hull writes a NUL to it when CRIU's lazy-pages
    /// server is ready (CRIU's "status-ready" notification), as runc does with CRIU >= 3.15.
    private static func checkStatusFd(_ fd: Int32?) throws {
        guard let fd else { return }
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0 else { throw HullError("--status-fd \(fd): \(Errno.describe(errno))") }
        guard flags & O_ACCMODE != O_RDONLY else { throw HullError("--status-fd \(fd): not open for writing") }
    }

    private static func signalReady(_ fd: Int32?) {
        guard let fd else { return }
        var zero: UInt8 = 0
        if Glibc.write(fd, &zero, 1) != 1 { Log.warn("--status-fd \(fd): write: \(Errno.describe(errno))") }
        close(fd)
    }
}
