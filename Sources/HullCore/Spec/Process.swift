/// The container process (`process`).
public struct Process: Codable, Equatable, Sendable {
    /// Attach a pseudo-terminal. Defaults to false.
    public var terminal: Bool?
    /// The terminal size; ignored without `terminal`.
    public var consoleSize: Box?
    /// Who the process runs as. A missing `user` decodes as uid 0, gid 0, as in Go and runc.
    public var user: User
    /// argv; the first entry is looked up like execvp's file. Must not be empty.
    public var args: [String]?
    /// KEY=VALUE pairs.
    public var env: [String]?
    /// The working directory inside the container: an absolute path. REQUIRED.
    public var cwd: String
    public var capabilities: LinuxCapabilities?
    public var rlimits: [POSIXRlimit]?
    public var noNewPrivileges: Bool?
    public var apparmorProfile: String?
    /// Written to /proc/PID/oom_score_adj; from -1000 to 1000.
    public var oomScoreAdj: Int?
    public var scheduler: Scheduler?
    public var selinuxLabel: String?
    public var ioPriority: LinuxIOPriority?
    /// CPU affinity for processes started by `exec` (not the init process).
    public var execCPUAffinity: CPUAffinity?
    /// A Landlock ruleset (a proposal, not yet in the runtime spec: see Landlock.swift).
    public var landlock: Landlock?

    public init(
        terminal: Bool? = nil,
        consoleSize: Box? = nil,
        user: User = User(),
        args: [String]? = nil,
        env: [String]? = nil,
        cwd: String = "",
        capabilities: LinuxCapabilities? = nil,
        rlimits: [POSIXRlimit]? = nil,
        noNewPrivileges: Bool? = nil,
        apparmorProfile: String? = nil,
        oomScoreAdj: Int? = nil,
        scheduler: Scheduler? = nil,
        selinuxLabel: String? = nil,
        ioPriority: LinuxIOPriority? = nil,
        execCPUAffinity: CPUAffinity? = nil,
        landlock: Landlock? = nil
    ) {
        self.terminal = terminal
        self.consoleSize = consoleSize
        self.user = user
        self.args = args
        self.env = env
        self.cwd = cwd
        self.capabilities = capabilities
        self.rlimits = rlimits
        self.noNewPrivileges = noNewPrivileges
        self.apparmorProfile = apparmorProfile
        self.oomScoreAdj = oomScoreAdj
        self.scheduler = scheduler
        self.selinuxLabel = selinuxLabel
        self.ioPriority = ioPriority
        self.execCPUAffinity = execCPUAffinity
        self.landlock = landlock
    }

    private enum CodingKeys: String, CodingKey {
        case terminal, consoleSize, user, args, env, cwd, capabilities, rlimits, noNewPrivileges
        case apparmorProfile, oomScoreAdj, scheduler, selinuxLabel, ioPriority, execCPUAffinity, landlock
    }

    /// Synthesized decoding, except that `user` may be missing.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        terminal = try c.decodeIfPresent(Bool.self, forKey: .terminal)
        consoleSize = try c.decodeIfPresent(Box.self, forKey: .consoleSize)
        user = try c.decodeIfPresent(User.self, forKey: .user) ?? User()
        args = try c.decodeIfPresent([String].self, forKey: .args)
        env = try c.decodeIfPresent([String].self, forKey: .env)
        cwd = try c.decode(String.self, forKey: .cwd)
        capabilities = try c.decodeIfPresent(LinuxCapabilities.self, forKey: .capabilities)
        rlimits = try c.decodeIfPresent([POSIXRlimit].self, forKey: .rlimits)
        noNewPrivileges = try c.decodeIfPresent(Bool.self, forKey: .noNewPrivileges)
        apparmorProfile = try c.decodeIfPresent(String.self, forKey: .apparmorProfile)
        oomScoreAdj = try c.decodeIfPresent(Int.self, forKey: .oomScoreAdj)
        scheduler = try c.decodeIfPresent(Scheduler.self, forKey: .scheduler)
        selinuxLabel = try c.decodeIfPresent(String.self, forKey: .selinuxLabel)
        ioPriority = try c.decodeIfPresent(LinuxIOPriority.self, forKey: .ioPriority)
        execCPUAffinity = try c.decodeIfPresent(CPUAffinity.self, forKey: .execCPUAffinity)
        landlock = try c.decodeIfPresent(Landlock.self, forKey: .landlock)
    }
}

/// A rectangle: the console size in characters.
public struct Box: Codable, Equatable, Sendable {
    public var height: UInt
    public var width: UInt

    public init(height: UInt = 0, width: UInt = 0) {
        self.height = height
        self.width = width
    }
}

/// CPU lists ("0-3,7") for processes started by `exec`.
public struct CPUAffinity: Codable, Equatable, Sendable {
    /// Where the runtime's process runs before it joins the container's cgroup.
    public var initial: String?
    /// Where the process runs once in the cgroup; unset leaves the kernel's choice.
    public var final: String?

    public init(initial: String? = nil, final: String? = nil) {
        self.initial = initial
        self.final = final
    }
}
