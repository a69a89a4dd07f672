/// CPU limits (`linux.resources.cpu`). Times are in microseconds.
public struct LinuxCPU: Codable, Equatable, Sendable {
    /// Relative weight (cgroup v1 shares; converted to cpu.weight on v2).
    public var shares: UInt64?
    /// CPU time allowed per `period`; -1 means unlimited.
    public var quota: Int64?
    /// Extra time a period may borrow from earlier unused quota; at most a positive `quota`.
    public var burst: UInt64?
    public var period: UInt64?
    public var realtimeRuntime: Int64?
    public var realtimePeriod: UInt64?
    /// A CPU list for cpuset.cpus, such as "0-3,7".
    public var cpus: String?
    /// A memory node list for cpuset.mems.
    public var mems: String?
    /// 1 makes the cgroup SCHED_IDLE; 0 is the default.
    public var idle: Int64?

    public init(
        shares: UInt64? = nil,
        quota: Int64? = nil,
        burst: UInt64? = nil,
        period: UInt64? = nil,
        realtimeRuntime: Int64? = nil,
        realtimePeriod: UInt64? = nil,
        cpus: String? = nil,
        mems: String? = nil,
        idle: Int64? = nil
    ) {
        self.shares = shares
        self.quota = quota
        self.burst = burst
        self.period = period
        self.realtimeRuntime = realtimeRuntime
        self.realtimePeriod = realtimePeriod
        self.cpus = cpus
        self.mems = mems
        self.idle = idle
    }
}
