import ArgumentParser
import HullCore

/// `hull exec ID COMMAND...`: a new process in a running container.
struct ExecCommand: HullCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a new process inside a running container.",
        discussion: """
            The process joins every namespace and the cgroup of the container and gets its \
            process settings (user, capabilities, seccomp, rlimits, environment) with the \
            changes given here, or the process of --process FILE. Exits with its exit status, \
            or 128+N when it was killed by signal N.
            """
    )

    static let clonesIntoContainers = true

    @OptionGroup(title: "Global Options") var global: GlobalOptions

    @Option(name: [.customShort("p"), .long], help: ArgumentHelp("A process.json to run (as config.json's process).", valueName: "path"))
    var process: String?

    @Flag(name: [.customShort("t"), .long], help: "Allocate a pseudo-terminal.")
    var tty = false

    @Option(name: .customLong("console-socket"), help: ArgumentHelp("Unix socket to receive the pty master (with --detach).", valueName: "path"))
    var consoleSocket: String?

    @Flag(name: [.customShort("d"), .long], help: "Do not wait for the process.")
    var detach = false

    @Option(name: .customLong("pid-file"), help: ArgumentHelp("Write the process's pid to this file.", valueName: "path"))
    var pidFile: String?

    @Option(name: [.customShort("e"), .long], help: ArgumentHelp("Set an environment variable (repeatable).", valueName: "NAME=VALUE"))
    var env: [String] = []

    @Option(help: ArgumentHelp("The working directory in the container.", valueName: "path"))
    var cwd: String?

    @Option(name: [.customShort("u"), .long], help: ArgumentHelp("The user, as numbers.", valueName: "uid[:gid]"))
    var user: String?

    @Option(name: [.customShort("g"), .customLong("additional-gids")], help: ArgumentHelp("An additional group (repeatable).", valueName: "gid"))
    var additionalGids: [UInt32] = []

    @Option(name: [.customShort("c"), .customLong("cap")], help: ArgumentHelp("Add a capability (repeatable; not to the inheritable set).", valueName: "CAP_NAME"))
    var capabilities: [String] = []

    @Flag(name: .customLong("no-new-privs"), help: "Set no_new_privs for the process.")
    var noNewPrivs = false

    @Option(name: .customLong("process-label"), help: ArgumentHelp("The SELinux label of the process.", valueName: "label"))
    var processLabel: String?

    @Option(help: ArgumentHelp("The AppArmor profile of the process.", valueName: "profile"))
    var apparmor: String?

    @Option(name: .customLong("preserve-fds"), help: ArgumentHelp("Pass this many extra fds (from 3) to the process.", valueName: "n"))
    var preserveFds: Int = 0

    @Option(name: .customLong("cgroup"), help: ArgumentHelp("Run in an existing sub-cgroup (repeatable).", valueName: "[controllers:]path"))
    var cgroups: [String] = []

    @Flag(name: .customLong("ignore-paused"), help: "Allow exec in a paused container.")
    var ignorePaused = false

    @Argument(help: ArgumentHelp("The container ID.", valueName: "container-id"))
    var id: String

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The command and its arguments.", valueName: "command"))
    var command: [String] = []

    func execute() throws {
        try Self.perform(store: global.store, request: request())
    }

    static func perform(store: StateStore, request: ExecRequest) throws {
        let status = try Lifecycle(store: store).exec(request)
        if status != 0 { throw ExitCode(status) }
    }

    func request() throws -> ExecRequest {
        var arguments = ExecArguments()
        arguments.id = id
        arguments.command = command
        arguments.process = process
        arguments.tty = tty
        arguments.consoleSocket = consoleSocket
        arguments.detach = detach
        arguments.pidFile = pidFile
        arguments.env = env
        arguments.cwd = cwd
        arguments.user = user
        arguments.additionalGids = additionalGids
        arguments.capabilities = capabilities
        arguments.noNewPrivs = noNewPrivs
        arguments.processLabel = processLabel
        arguments.apparmor = apparmor
        arguments.preserveFds = preserveFds
        arguments.cgroups = cgroups
        arguments.ignorePaused = ignorePaused
        return try arguments.request()
    }
}
