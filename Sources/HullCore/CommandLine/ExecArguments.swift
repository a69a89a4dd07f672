/// The values of `hull exec`'s command line, whichever parser read them (ExecCommand or
/// QuickArguments), and the one way they become an `ExecRequest`.
public struct ExecArguments: Equatable, Sendable {
    public var id = ""
    public var command: [String] = []
    public var process: String?
    public var tty = false
    public var consoleSocket: String?
    public var detach = false
    public var pidFile: String?
    public var env: [String] = []
    public var cwd: String?
    public var user: String?
    public var additionalGids: [UInt32] = []
    public var capabilities: [String] = []
    public var noNewPrivs = false
    public var processLabel: String?
    public var apparmor: String?
    public var preserveFds = 0
    public var cgroups: [String] = []
    public var ignorePaused = false

    public init() {}

    public func request() throws -> ExecRequest {
        guard preserveFds >= 0 else { throw HullError("--preserve-fds: must not be negative") }
        var request = ExecRequest(id: id, process: try processSource())
        request.detach = detach
        request.pidFile = pidFile
        request.consoleSocket = consoleSocket
        request.preserveFds = preserveFds
        request.subCgroups = cgroups
        request.ignorePaused = ignorePaused
        return request
    }

    private func processSource() throws -> ExecProcessSource {
        if let process {
            guard command.isEmpty else { throw HullError("exec: give either --process or a command, not both") }
            return .file(process)
        }
        guard !command.isEmpty else { throw HullError("exec: a command (or --process FILE) is required") }
        var changes = ExecProcessChanges(args: command)
        changes.env = env
        changes.cwd = cwd
        if let user { try changes.setUser(user) }
        changes.additionalGids = additionalGids
        changes.capabilities = capabilities
        if noNewPrivs { changes.noNewPrivileges = true }
        changes.terminal = tty
        changes.apparmorProfile = apparmor
        changes.selinuxLabel = processLabel
        return .changes(changes)
    }
}
