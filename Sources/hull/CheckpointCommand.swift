import ArgumentParser
import HullCore

/// `hull checkpoint ID`: CRIU dumps a running container into an image directory (runc's flags).
struct CheckpointCommand: HullCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Checkpoint a running container with CRIU.",
        discussion: "Unless --leave-running or --pre-dump, the container is gone afterwards; `hull restore` brings it back."
    )

    @OptionGroup(title: "Global Options") var global: GlobalOptions
    @OptionGroup var criu: CriuFlags

    @Option(name: .customLong("image-path"), help: ArgumentHelp("Directory for the images.", valueName: "path"))
    var imagePath = "checkpoint"

    @Option(name: .customLong("parent-path"), help: ArgumentHelp("Images of a previous (pre-)dump, relative to --image-path.", valueName: "path"))
    var parentPath: String?

    @Flag(name: .customLong("leave-running"), help: "Leave the container running after the checkpoint.")
    var leaveRunning = false

    @Flag(name: .customLong("pre-dump"), help: "Dump the memory only, for an iterative migration; the container keeps running.")
    var preDump = false

    @Option(name: .customLong("page-server"), help: ArgumentHelp("Send the memory to a CRIU page server.", valueName: "ip:port"))
    var pageServer: String?

    @Option(name: .customLong("status-fd"), help: ArgumentHelp("Write a NUL byte to this fd when the lazy-pages server is ready.", valueName: "fd"))
    var statusFd: Int32?

    @Argument(help: ArgumentHelp("The container ID.", valueName: "container-id"))
    var id: String

    func execute() throws {
        var request = CheckpointRequest(id: id, imagePath: imagePath)
        request.workPath = criu.workPath
        request.parentPath = parentPath
        request.leaveRunning = leaveRunning
        request.preDump = preDump
        request.tcpEstablished = criu.tcpEstablished
        request.extUnixSk = criu.extUnixSk
        request.shellJob = criu.shellJob
        request.fileLocks = criu.fileLocks
        request.autoDedup = criu.autoDedup
        request.lazyPages = criu.lazyPages
        request.manageCgroupsMode = try criu.cgroupMode()
        request.emptyNamespaces = try criu.emptyNamespaceFlags()
        request.pageServer = try pageServer.map(CheckpointRequest.parsePageServer)
        request.statusFd = statusFd
        request.criu = global.criu
        try Lifecycle(store: global.store).checkpoint(request)
    }
}

/// The CRIU flags `checkpoint` and `restore` share, with runc's names.
struct CriuFlags: ParsableArguments {
    @Option(name: .customLong("work-path"), help: ArgumentHelp("Directory for CRIU's log and work files (default: the image directory).", valueName: "path"))
    var workPath: String?

    @Flag(name: .customLong("tcp-established"), help: "Allow established TCP connections.")
    var tcpEstablished = false

    @Flag(name: .customLong("ext-unix-sk"), help: "Allow external unix sockets.")
    var extUnixSk = false

    @Flag(name: .customLong("shell-job"), help: "Allow a shell job (a process attached to the caller's terminal).")
    var shellJob = false

    @Flag(name: .customLong("file-locks"), help: "Handle file locks.")
    var fileLocks = false

    @Option(name: .customLong("manage-cgroups-mode"), help: ArgumentHelp("How CRIU handles cgroups: soft, full, strict or ignore.", valueName: "mode"))
    var manageCgroupsMode: String?

    @Option(name: .customLong("empty-ns"), help: ArgumentHelp("Create this namespace but do not checkpoint or restore its contents (network).", valueName: "namespace"))
    var emptyNs: [String] = []

    @Flag(name: .customLong("auto-dedup"), help: "Deduplicate the memory images against the parent images.")
    var autoDedup = false

    @Flag(name: .customLong("lazy-pages"), help: "Use userfaultfd for lazy memory migration.")
    var lazyPages = false

    func cgroupMode() throws -> CriuCgroupMode {
        try manageCgroupsMode.map(CriuCgroupMode.init(parsing:)) ?? .default
    }

    /// runc accepts one namespace here: network (CLONE_NEWNET).
    func emptyNamespaceFlags() throws -> UInt32 {
        try emptyNs.reduce(UInt32(0)) { flags, name in
            guard name == "network" else {
                throw HullError("--empty-ns: namespace \"\(name)\" is not supported (only network)")
            }
            return flags | 0x4000_0000
        }
    }
}
