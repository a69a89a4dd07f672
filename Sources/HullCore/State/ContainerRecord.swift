import Glibc

/// What hull stores about one container, in `ROOT/ID/state.json`.
///
/// Only facts that cannot be observed later are stored; the status beyond `creating`/`created`
/// is derived (see `ContainerStatus.derive`). To keep old state files readable, a field added by
/// later work must be an Optional (a missing key decodes as nil).
public struct ContainerRecord: Codable, Sendable, Equatable {
    /// The container ID (also the directory name under the state root).
    public var id: String
    /// Absolute path of the bundle directory.
    public var bundle: String
    /// Absolute path of the root filesystem.
    public var rootfs: String
    /// The init process's pid in hull's pid namespace; 0 until the init process exists.
    public var pid: Int32
    /// Field 22 of `/proc/PID/stat` when the init process was started; with `pid` it names one
    /// process, so a reused pid is not mistaken for the container.
    public var pidStartTime: UInt64
    /// Creation time, RFC 3339 with nanoseconds in UTC, as runc writes it.
    public var created: String
    /// The user who created the container, or "" when the uid has no name.
    public var owner: String
    /// `annotations` from config.json.
    public var annotations: [String: String]
    /// Cgroup directory per controller (absolute paths); the key "" is the cgroup v2 unified dir.
    public var cgroupPaths: [String: String]
    /// `creating` while `hull create` is still running, then `created`. Never a derived status.
    public var status: ContainerStatus
    /// The hook kinds of the saved config.json that `start` and `delete` run ("poststart",
    /// "poststop") when it has any, so that they decode config.json only then; nil in records
    /// written before it existed (they always decode).
    public var laterHooks: [String]?
    /// The transient systemd unit that holds the container's cgroup (`--systemd-cgroup`,
    /// "hull-web.scope"); nil with the cgroupfs driver. Later commands stop it on delete and
    /// update its properties.
    public var systemdUnit: String?

    /// Whether the saved config.json may have hooks of `kind` (so must be read for them).
    func mayHaveHooks(_ kind: HookRunner.Kind) -> Bool {
        laterHooks.map { $0.contains(kind.rawValue) } ?? true
    }

    public init(
        id: String,
        bundle: String,
        rootfs: String,
        pid: Int32 = 0,
        pidStartTime: UInt64 = 0,
        created: String = RFC3339Timestamp.nowUTCNano(),
        owner: String = ContainerRecord.currentOwner(),
        annotations: [String: String] = [:],
        cgroupPaths: [String: String] = [:],
        status: ContainerStatus = .creating
    ) {
        self.id = id
        self.bundle = bundle
        self.rootfs = rootfs
        self.pid = pid
        self.pidStartTime = pidStartTime
        self.created = created
        self.owner = owner
        self.annotations = annotations
        self.cgroupPaths = cgroupPaths
        self.status = status
    }

    /// The name of the effective user, or "" when the uid has no passwd entry.
    public static func currentOwner() -> String {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        let found = getpwuid_r(geteuid(), &entry, &buffer, buffer.count, &result)
        guard found == 0, result != nil, let name = entry.pw_name else { return "" }
        return String(cString: name)
    }
}
