/// The seccomp filter of the container (`linux.seccomp`).
public struct LinuxSeccomp: Codable, Equatable, Sendable {
    /// The action for system calls no rule matches; one of `LinuxSeccomp.knownActions`. REQUIRED.
    public var defaultAction: String
    /// The errno of a default SCMP_ACT_ERRNO or SCMP_ACT_TRACE action.
    public var defaultErrnoRet: UInt?
    /// SCMP_ARCH_* names, beyond the native one.
    public var architectures: [String]?
    /// SECCOMP_FILTER_FLAG_* names for seccomp(2).
    public var flags: [String]?
    /// The UNIX socket SCMP_ACT_NOTIFY file descriptors are sent to.
    public var listenerPath: String?
    /// Opaque data sent with them; needs `listenerPath`.
    public var listenerMetadata: String?
    public var syscalls: [LinuxSyscall]?

    public init(
        defaultAction: String = "SCMP_ACT_ALLOW",
        defaultErrnoRet: UInt? = nil,
        architectures: [String]? = nil,
        flags: [String]? = nil,
        listenerPath: String? = nil,
        listenerMetadata: String? = nil,
        syscalls: [LinuxSyscall]? = nil
    ) {
        self.defaultAction = defaultAction
        self.defaultErrnoRet = defaultErrnoRet
        self.architectures = architectures
        self.flags = flags
        self.listenerPath = listenerPath
        self.listenerMetadata = listenerMetadata
        self.syscalls = syscalls
    }

    /// The actions of the spec.
    public static let knownActions = [
        "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO",
        "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY",
    ]

    /// The actions that carry an errno (`errnoRet`, `defaultErrnoRet`).
    public static let actionsWithErrno = ["SCMP_ACT_ERRNO", "SCMP_ACT_TRACE"]

    /// The argument comparison operators of the spec.
    public static let knownOperators = [
        "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT",
        "SCMP_CMP_MASKED_EQ",
    ]

    /// The architectures of the spec.
    public static let knownArchitectures = [
        "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64",
        "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64",
        "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390",
        "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64",
        "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB",
    ]

    /// The filter flags of the spec, plus SECCOMP_FILTER_FLAG_TSYNC, which runc accepts too.
    public static let knownFlags = [
        "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_LOG",
        "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
    ]
}

/// One rule of the filter (`linux.seccomp.syscalls[]`).
public struct LinuxSyscall: Codable, Equatable, Sendable {
    /// The system calls the rule applies to; at least one. REQUIRED.
    public var names: [String]
    /// One of `LinuxSeccomp.knownActions`. REQUIRED.
    public var action: String
    /// The errno of an SCMP_ACT_ERRNO or SCMP_ACT_TRACE action.
    public var errnoRet: UInt?
    /// Conditions on the arguments, all of which must hold.
    public var args: [LinuxSeccompArg]?

    public init(names: [String] = [], action: String = "SCMP_ACT_ALLOW", errnoRet: UInt? = nil, args: [LinuxSeccompArg]? = nil) {
        self.names = names
        self.action = action
        self.errnoRet = errnoRet
        self.args = args
    }
}

/// A condition on one system call argument (`linux.seccomp.syscalls[].args[]`).
public struct LinuxSeccompArg: Codable, Equatable, Sendable {
    /// The argument's position, from 0 to 5. REQUIRED.
    public var index: UInt
    /// REQUIRED.
    public var value: UInt64
    /// The second operand of SCMP_CMP_MASKED_EQ.
    public var valueTwo: UInt64?
    /// One of `LinuxSeccomp.knownOperators`. REQUIRED.
    public var op: String

    public init(index: UInt = 0, value: UInt64 = 0, valueTwo: UInt64? = nil, op: String = "SCMP_CMP_EQ") {
        self.index = index
        self.value = value
        self.valueTwo = valueTwo
        self.op = op
    }
}
