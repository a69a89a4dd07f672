/// The scheduling attributes of the process (`process.scheduler`), as for sched_setattr(2).
public struct Scheduler: Codable, Equatable, Sendable {
    /// One of `Scheduler.knownPolicies`. REQUIRED.
    public var policy: String
    /// From -20 to 19 for SCHED_OTHER and SCHED_BATCH.
    public var nice: Int32?
    /// The static priority, for SCHED_FIFO and SCHED_RR only.
    public var priority: Int32?
    /// Names from `Scheduler.knownFlags`.
    public var flags: [String]?
    /// Nanoseconds, for SCHED_DEADLINE only.
    public var runtime: UInt64?
    public var deadline: UInt64?
    public var period: UInt64?

    public init(
        policy: String = "SCHED_OTHER",
        nice: Int32? = nil,
        priority: Int32? = nil,
        flags: [String]? = nil,
        runtime: UInt64? = nil,
        deadline: UInt64? = nil,
        period: UInt64? = nil
    ) {
        self.policy = policy
        self.nice = nice
        self.priority = priority
        self.flags = flags
        self.runtime = runtime
        self.deadline = deadline
        self.period = period
    }

    /// The policies of the spec, in the kernel's numbering order (SCHED_OTHER is 0).
    public static let knownPolicies = [
        "SCHED_OTHER", "SCHED_FIFO", "SCHED_RR", "SCHED_BATCH", "SCHED_ISO", "SCHED_IDLE", "SCHED_DEADLINE",
    ]

    /// The flags of the spec, in the kernel's bit order (SCHED_FLAG_RESET_ON_FORK is 0x01).
    public static let knownFlags = [
        "SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM", "SCHED_FLAG_DL_OVERRUN", "SCHED_FLAG_KEEP_POLICY",
        "SCHED_FLAG_KEEP_PARAMS", "SCHED_FLAG_UTIL_CLAMP_MIN", "SCHED_FLAG_UTIL_CLAMP_MAX",
    ]
}

/// The name used for `Scheduler` in descriptions of the spec (sched_attr).
public typealias LinuxSchedulerAttr = Scheduler
