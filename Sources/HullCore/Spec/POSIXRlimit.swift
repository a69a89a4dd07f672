/// One resource limit of the process (`process.rlimits[]`).
public struct POSIXRlimit: Codable, Equatable, Sendable {
    /// An RLIMIT_* name from getrlimit(2), such as "RLIMIT_NOFILE". REQUIRED.
    public var type: String
    /// The ceiling for `soft`. REQUIRED. 18446744073709551615 is RLIM_INFINITY.
    public var hard: UInt64
    /// The enforced limit; at most `hard`. REQUIRED.
    public var soft: UInt64

    public init(type: String = "", hard: UInt64 = 0, soft: UInt64 = 0) {
        self.type = type
        self.hard = hard
        self.soft = soft
    }

    /// The resource names of getrlimit(2) on Linux, in kernel order (RLIMIT_CPU is 0).
    public static let knownTypes = [
        "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS",
        "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS",
        "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME",
    ]
}
