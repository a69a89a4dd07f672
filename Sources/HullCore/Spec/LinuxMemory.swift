/// Memory limits (`linux.resources.memory`). Byte counts; -1 means unlimited.
public struct LinuxMemory: Codable, Equatable, Sendable {
    public var limit: Int64?
    /// The soft limit (memory.low on cgroup v2).
    public var reservation: Int64?
    /// Memory plus swap; at least `limit`.
    public var swap: Int64?
    /// Deprecated by the spec; ignored by hull as by runc.
    public var kernel: Int64?
    /// Deprecated in practice (cgroup v1 only); ignored by hull as by runc.
    public var kernelTCP: Int64?
    /// From 0 to 100.
    public var swappiness: UInt64?
    public var disableOOMKiller: Bool?
    public var useHierarchy: Bool?
    /// On `update`, refuse a limit below the current usage.
    public var checkBeforeUpdate: Bool?

    public init(
        limit: Int64? = nil,
        reservation: Int64? = nil,
        swap: Int64? = nil,
        kernel: Int64? = nil,
        kernelTCP: Int64? = nil,
        swappiness: UInt64? = nil,
        disableOOMKiller: Bool? = nil,
        useHierarchy: Bool? = nil,
        checkBeforeUpdate: Bool? = nil
    ) {
        self.limit = limit
        self.reservation = reservation
        self.swap = swap
        self.kernel = kernel
        self.kernelTCP = kernelTCP
        self.swappiness = swappiness
        self.disableOOMKiller = disableOOMKiller
        self.useHierarchy = useHierarchy
        self.checkBeforeUpdate = checkBeforeUpdate
    }
}
