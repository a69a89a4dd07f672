#if canImport(Glibc)
import Glibc
#endif
import CHullShim

/// Linux capability names and numbers, as in <linux/capability.h>.
public enum Capability {
    /// Every capability hull knows, indexed by its number (CAP_CHOWN is 0).
    public static let names = [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
        "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
        "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
        "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
        "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
        "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
    ]

    static let numbers: [String: Int] = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })

    /// The highest capability the running kernel has (/proc/sys/kernel/cap_last_cap).
    static func kernelLast() -> Int {
        let text = (try? FileIO.readString("/proc/sys/kernel/cap_last_cap")) ?? ""
        return Int(text.filter { !$0.isWhitespace }) ?? names.count - 1
    }
}

/// The five capability sets of the process as bit masks (bit N: capability N).
struct CapabilitySets: Equatable {
    var bounding: UInt64 = 0
    var effective: UInt64 = 0
    var inheritable: UInt64 = 0
    var permitted: UInt64 = 0
    var ambient: UInt64 = 0
    /// The highest capability number the kernel knows: the init drops the bounding set up to it.
    var last = 0
}

extension CapabilitySets {
    /// The sets of `process.capabilities`. No `capabilities` means no capabilities, as in runc.
    /// A name that is unknown, or that the kernel lacks, gets one warning and is skipped, as
    /// in runc (engines pass lists newer than the runtime). The ambient set is cut to what is
    /// also permitted and inheritable: the kernel refuses the rest, which runc ignores.
    init(_ capabilities: LinuxCapabilities?, kernelLast: Int = Capability.kernelLast()) {
        last = min(kernelLast, 63)
        let limit = last
        func mask(_ names: [String]?) -> UInt64 {
            (names ?? []).reduce(UInt64(0)) { mask, name in
                guard let number = Capability.numbers[name], number <= limit else { return mask }
                return mask | (UInt64(1) << UInt64(number))
            }
        }
        bounding = mask(capabilities?.bounding)
        effective = mask(capabilities?.effective)
        inheritable = mask(capabilities?.inheritable)
        permitted = mask(capabilities?.permitted)
        ambient = mask(capabilities?.ambient)
        let unknown = Self.unknownToKernel(capabilities, kernelLast: kernelLast).map(\.name)
        if !unknown.isEmpty {
            var seen: Set<String> = []
            let names = unknown.filter { seen.insert($0).inserted }
            Log.warn("ignoring unknown or unavailable capabilities: [\(names.joined(separator: " "))]")
        }
        let raisable = ambient & permitted & inheritable
        if raisable != ambient {
            Log.debug("ambient capabilities not both permitted and inheritable are not raised: \(names(ambient & ~raisable))")
            ambient = raisable
        }
    }

    /// The names of `capabilities` that are unknown or beyond the kernel's last capability,
    /// with their set: they are skipped (`hull check` lists them).
    static func unknownToKernel(_ capabilities: LinuxCapabilities?,
                                kernelLast: Int = Capability.kernelLast()) -> [(set: String, name: String)] {
        let last = min(kernelLast, 63)
        let sets: [(String, [String]?)] = [
            ("bounding", capabilities?.bounding), ("effective", capabilities?.effective),
            ("inheritable", capabilities?.inheritable), ("permitted", capabilities?.permitted),
            ("ambient", capabilities?.ambient),
        ]
        return sets.flatMap { set, names in
            (names ?? []).filter { name in Capability.numbers[name].map { $0 > last } ?? true }.map { (set, $0) }
        }
    }

    private func names(_ mask: UInt64) -> String {
        Capability.names.enumerated().filter { mask & (UInt64(1) << UInt64($0.offset)) != 0 }.map(\.element)
            .joined(separator: " ")
    }
}

/// The effective, permitted and inheritable sets as a libcap `cap_t`, made in the parent (libcap
/// allocates it) for the init's cap_set_proc.
final class CapabilityState {
    let pointer: UnsafeMutableRawPointer

    init(_ sets: CapabilitySets) throws {
        guard let pointer = hull_caps_new(sets.effective, sets.permitted, sets.inheritable, Int32(sets.last)) else {
            throw HullError("config.json: process.capabilities: libcap: \(Errno.describe(errno))")
        }
        self.pointer = pointer
    }

    deinit { hull_caps_free(pointer) }
}
