#if canImport(Glibc)
import Glibc
#endif
import CHullShim

/// `linux.seccomp` compiled to a BPF program by libseccomp, in the parent: the container's
/// init only hands `instructions` to seccomp(2) with `flags`.
final class SeccompProgram {
    /// The struct sock_filter array (malloc'ed by the shim, freed here).
    let instructions: UnsafeMutableRawPointer
    let count: Int
    /// SECCOMP_FILTER_FLAG_* bits for seccomp(2).
    let flags: UInt32

    private init(instructions: UnsafeMutableRawPointer, count: Int, flags: UInt32) {
        self.instructions = instructions
        self.count = count
        self.flags = flags
    }

    deinit { free(instructions) }

    /// Compiles `seccomp`, which `Spec.validate()` has checked. Names libseccomp does not know
    /// are left out with a debug message, as runc does.
    static func compile(_ seccomp: LinuxSeccomp) throws -> SeccompProgram {
        let notify = try usesNotify(seccomp)
        let arena = CArena()
        var profile = hull_seccomp_profile()
        profile.default_action = SeccompNames.action(seccomp.defaultAction, errno: seccomp.defaultErrnoRet)
        let archs = (seccomp.architectures ?? []).map(SeccompNames.libseccompArch)
        profile.archs = UnsafePointer(arena.array(archs.map { UnsafePointer(arena.string($0)) as UnsafePointer<CChar>? }))
        profile.arch_count = Int32(archs.count)
        let rules = (seccomp.syscalls ?? []).map { rule in
            hull_seccomp_rule(
                names: UnsafePointer(arena.array(rule.names.map { UnsafePointer(arena.string($0)) as UnsafePointer<CChar>? })),
                name_count: Int32(rule.names.count),
                action: SeccompNames.action(rule.action, errno: rule.errnoRet),
                args: UnsafePointer(arena.array((rule.args ?? []).map {
                    hull_seccomp_arg(index: UInt32($0.index), op: SeccompNames.operators[$0.op] ?? 0,
                                     value: $0.value, value_two: $0.valueTwo ?? 0)
                })),
                arg_count: Int32(rule.args?.count ?? 0))
        }
        profile.rules = UnsafePointer(arena.array(rules))
        profile.rule_count = Int32(rules.count)

        var filter: UnsafeMutableRawPointer?
        var count = 0
        var skipped = [CChar](repeating: 0, count: 4096)
        var err = [CChar](repeating: 0, count: 512)
        let rc = withExtendedLifetime(arena) {
            hull_seccomp_compile(&profile, &filter, &count, &skipped, Int32(skipped.count), &err, Int32(err.count))
        }
        guard rc == 0, let filter else { throw HullError("config.json: linux.seccomp: \(String(cBuffer: err))") }
        let unknown = String(cBuffer: skipped)
        if !unknown.isEmpty { Log.debug("seccomp: system calls unknown to libseccomp are skipped: \(unknown)") }
        return SeccompProgram(instructions: filter, count: count, flags: flagBits(seccomp.flags ?? [], notify: notify))
    }

    /// The flags for seccomp(2). With SCMP_ACT_NOTIFY anywhere the kernel must return a
    /// listener fd (NEW_LISTENER; with TSYNC that also needs TSYNC_ESRCH).
    /// SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV only applies to a listener (the kernel refuses it
    /// alone), so without SCMP_ACT_NOTIFY it is accepted and left out.
    private static func flagBits(_ names: [String], notify: Bool) -> UInt32 {
        var bits = names.reduce(UInt32(0)) { $0 | (SeccompNames.flags[$1] ?? 0) }
        if notify {
            bits |= SeccompNames.newListener
            if bits & SeccompNames.flags["SECCOMP_FILTER_FLAG_TSYNC"]! != 0 { bits |= SeccompNames.tsyncESRCH }
        } else {
            bits &= ~SeccompNames.flags["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"]!
        }
        return bits
    }

    /// Whether any action is SCMP_ACT_NOTIFY; then `listenerPath` is required (runtime-spec).
    static func usesNotify(_ seccomp: LinuxSeccomp) throws -> Bool {
        let notify = "SCMP_ACT_NOTIFY"
        let uses = seccomp.defaultAction == notify || (seccomp.syscalls ?? []).contains { $0.action == notify }
        if uses, (seccomp.listenerPath ?? "").isEmpty {
            throw HullError("config.json: linux.seccomp.listenerPath: required when an action is SCMP_ACT_NOTIFY")
        }
        return uses
    }
}

/// The spec's seccomp names and libseccomp's / the kernel's values for them.
enum SeccompNames {
    /// libseccomp's SCMP_ACT_* values (the kernel's SECCOMP_RET_*); ERRNO and TRACE carry a
    /// 16-bit errno, EPERM when config.json gives none (runc's default).
    static func action(_ name: String, errno: UInt?) -> UInt32 {
        let data = UInt32(truncatingIfNeeded: errno ?? UInt(EPERM)) & 0xffff
        switch name {
        case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD": return 0x0000_0000
        case "SCMP_ACT_KILL_PROCESS": return 0x8000_0000
        case "SCMP_ACT_TRAP": return 0x0003_0000
        case "SCMP_ACT_ERRNO": return 0x0005_0000 | data
        case "SCMP_ACT_TRACE": return 0x7ff0_0000 | data
        case "SCMP_ACT_LOG": return 0x7ffc_0000
        case "SCMP_ACT_NOTIFY": return 0x7fc0_0000
        default: return 0x7fff_0000   // SCMP_ACT_ALLOW
        }
    }

    /// libseccomp's enum scmp_compare.
    static let operators: [String: Int32] = [
        "SCMP_CMP_NE": 1, "SCMP_CMP_LT": 2, "SCMP_CMP_LE": 3, "SCMP_CMP_EQ": 4, "SCMP_CMP_GE": 5,
        "SCMP_CMP_GT": 6, "SCMP_CMP_MASKED_EQ": 7,
    ]

    /// SECCOMP_FILTER_FLAG_* of <linux/seccomp.h>.
    static let flags: [String: UInt32] = [
        "SECCOMP_FILTER_FLAG_TSYNC": 1, "SECCOMP_FILTER_FLAG_LOG": 2, "SECCOMP_FILTER_FLAG_SPEC_ALLOW": 4,
        "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV": 32,
    ]

    static let newListener: UInt32 = 8
    static let tsyncESRCH: UInt32 = 16

    /// "SCMP_ARCH_X86_64" -> "x86_64", libseccomp's name.
    static func libseccompArch(_ name: String) -> String {
        String(name.dropFirst("SCMP_ARCH_".count)).lowercased()
    }
}
