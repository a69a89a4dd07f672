import ArgumentParser
import HullCore

/// `hull restore ID`: a container restored by CRIU from `hull checkpoint`'s images (runc's flags).
struct RestoreCommand: HullCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a container from a checkpoint with CRIU.",
        discussion: "Without --detach, waits for the restored container and exits with its status (128+N for signal N)."
    )

    @OptionGroup(title: "Global Options") var global: GlobalOptions
    @OptionGroup var criu: CriuFlags

    @Option(name: .customLong("image-path"), help: ArgumentHelp("Directory of the images.", valueName: "path"))
    var imagePath = "checkpoint"

    @Option(name: [.customShort("b"), .long], help: ArgumentHelp("Path to the bundle (default: current directory).", valueName: "path"))
    var bundle = "."

    @Flag(name: [.customShort("d"), .long], help: "Do not wait for the restored container.")
    var detach = false

    @Option(name: .customLong("pid-file"), help: ArgumentHelp("Write the restored init's pid to this file.", valueName: "path"))
    var pidFile: String?

    @Option(name: .customLong("console-socket"), help: ArgumentHelp("Unix socket to receive the restored pty master (process.terminal).", valueName: "path"))
    var consoleSocket: String?

    @Flag(name: .customLong("no-pivot"), help: "Accepted for runc compatibility (CRIU sets up the root itself).")
    var noPivot = false

    @Argument(help: ArgumentHelp("The container ID.", valueName: "container-id"))
    var id: String

    func execute() throws {
        var request = RestoreRequest(id: id, bundle: bundle, imagePath: imagePath)
        request.workPath = criu.workPath
        request.detach = detach
        request.pidFile = pidFile
        request.consoleSocket = consoleSocket
        request.noPivot = noPivot
        request.tcpEstablished = criu.tcpEstablished
        request.extUnixSk = criu.extUnixSk
        request.shellJob = criu.shellJob
        request.fileLocks = criu.fileLocks
        request.autoDedup = criu.autoDedup
        request.lazyPages = criu.lazyPages
        request.manageCgroupsMode = try criu.cgroupMode()
        request.emptyNamespaces = try criu.emptyNamespaceFlags()
        request.criu = global.criu
        let status = try Lifecycle(store: global.store).restore(request)
        if status != 0 { throw ExitCode(status) }
    }
}
