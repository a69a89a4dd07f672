#if canImport(Glibc)
import Glibc
#endif
import CHullShim

/// `linux.seccomp` compiled to a BPF program by libseccomp, in the parent: the container's
/// init only hands `instructions` to seccomp(2) with `flags`.
final class SeccompProgram {
    /// The struct sock_filter array (malloc'ed, freed here).
    let instructions: UnsafeMutableRawPointer
    let count: Int
    /// SECCOMP_FILTER_FLAG_* bits for seccomp(2).
    let flags: UInt32
    /// The system call names libseccomp does not know, left out of the program.
    let skippedNames: [String]

    private init(instructions: UnsafeMutableRawPointer, count: Int, flags: UInt32, skippedNames: [String]) {
        self.instructions = instructions
        self.count = count
        self.flags = flags
        self.skippedNames = skippedNames
    }

    deinit { free(instructions) }

    /// Compiles `seccomp`, which `Spec.validate()` has checked, or takes the program from
    /// `cache` when the same profile was compiled before. Names libseccomp does not know are
    /// left out with a debug message, as runc does.
    static func compile(_ seccomp: LinuxSeccomp, cache: SeccompCache? = nil) throws -> SeccompProgram {
        let notify = try usesNotify(seccomp)
        let flags = flagBits(seccomp.flags ?? [], notify: notify)
        let input = SeccompInput(seccomp)
        let key = input.cacheKey
        let entry: SeccompCache.Entry
        if let cached = cache?.load(key: key) {
            entry = cached
        } else {
            entry = try input.compile()
            cache?.store(key: key, entry)
        }
        if !entry.skipped.isEmpty { Log.debug("seccomp: system calls unknown to libseccomp are skipped: \(entry.skipped)") }
        let instructions = malloc(entry.program.count)!
        entry.program.withUnsafeBytes { instructions.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        return SeccompProgram(instructions: instructions, count: entry.program.count / 8, flags: flags,
                              skippedNames: entry.skipped.split(separator: " ").map(String.init))
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
