/// What `hull exec` is asked for: the process (from a process.json, or the container's own
/// process with the command line's changes), and how to run it.
public struct ExecRequest: Sendable {
    public var id: String
    public var process: ExecProcessSource
    public var detach = false
    public var pidFile: String?
    public var consoleSocket: String?
    public var preserveFds = 0
    /// `--cgroup`: `[<controllers>:]<path>` of an existing sub-cgroup of the container's.
    public var subCgroups: [String] = []
    public var ignorePaused = false

    public init(id: String, process: ExecProcessSource) {
        self.id = id
        self.process = process
    }
}

public enum ExecProcessSource: Sendable {
    /// `--process FILE`: a whole process object, as config.json's `process`.
    case file(String)
    /// The container's process with these changes (runc's exec flags).
    case changes(ExecProcessChanges)
}

/// The command-line flags of `exec` that change the container's process (runc's getProcess).
public struct ExecProcessChanges: Sendable {
    public var args: [String]
    public var env: [String] = []
    public var cwd: String?
    public var uid: UInt32?
    public var gid: UInt32?
    public var additionalGids: [UInt32] = []
    public var capabilities: [String] = []
    public var noNewPrivileges: Bool?
    public var terminal = false
    public var apparmorProfile: String?
    public var selinuxLabel: String?

    public init(args: [String]) {
        self.args = args
    }

    /// `--user UID[:GID]`, numbers only (as runc).
    public mutating func setUser(_ text: String) throws {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard let uid = UInt32(parts[0]), parts.count == 1 || UInt32(parts[1]) != nil else {
            throw HullError("--user: expected UID[:GID] as numbers, got \"\(text)\"")
        }
        self.uid = uid
        if parts.count == 2 { gid = UInt32(parts[1]) }
    }

    /// `base` (the container's process) with these changes. As in runc, `--cap` adds to the
    /// bounding, effective and permitted sets, and to the ambient set only when the config
    /// has inheritable capabilities; never to the inheritable set (CVE-2022-29162).
    func applied(to base: Process) -> Process {
        var process = base
        process.args = args
        process.terminal = terminal
        process.consoleSize = terminal ? base.consoleSize : nil
        if let cwd { process.cwd = cwd }
        process.env = Self.merge(base.env ?? [], env)
        if let uid { process.user.uid = uid }
        if let gid { process.user.gid = gid }
        if !additionalGids.isEmpty { process.user.additionalGids = (base.user.additionalGids ?? []) + additionalGids }
        if let noNewPrivileges { process.noNewPrivileges = noNewPrivileges }
        if let apparmorProfile { process.apparmorProfile = apparmorProfile }
        if let selinuxLabel { process.selinuxLabel = selinuxLabel }
        if !capabilities.isEmpty {
            var caps = base.capabilities ?? LinuxCapabilities()
            caps.bounding = (caps.bounding ?? []) + capabilities
            caps.effective = (caps.effective ?? []) + capabilities
            caps.permitted = (caps.permitted ?? []) + capabilities
            if caps.inheritable != nil { caps.ambient = (caps.ambient ?? []) + capabilities }
            process.capabilities = caps
        }
        return process
    }

    /// `extra` NAME=VALUE entries over `env`: a name set again takes the new value in place.
    static func merge(_ env: [String], _ extra: [String]) -> [String] {
        var merged = env
        for entry in extra {
            let name = entry.prefix { $0 != "=" }
            if let index = merged.firstIndex(where: { $0.prefix { $0 != "=" } == name }) {
                merged[index] = entry
            } else {
                merged.append(entry)
            }
        }
        return merged
    }
}
