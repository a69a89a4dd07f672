#if canImport(Glibc)
import Glibc
#endif
import CHullShim

/// The process security the init applies, computed from config.json by the parent:
/// capability masks, no_new_privs, the compiled seccomp program, personality, scheduler,
/// I/O priority and Landlock. `CChildConfig` lays it out as the shim's `hull_security`.
struct SecurityPlan {
    var capabilities = CapabilitySets()
    /// `capabilities` as libcap's cap_t; nil until a plan is made from config.json.
    var capabilityState: CapabilityState?
    var noNewPrivileges = false
    var seccomp: SeccompProgram?
    /// personality(2) domain, or -1.
    var personality: Int32 = -1
    var scheduler: hull_sched_attr?
    /// ioprio_set(2) value, or -1.
    var ioPriority: Int32 = -1
    var landlock = LandlockPlan()

    init() {}

    init(process: Process, linux: Linux?, seccompCache: SeccompCache? = nil) throws {
        try LinuxSecurityModules.check(process: process)
        capabilities = CapabilitySets(process.capabilities)
        capabilityState = try CapabilityState(capabilities)
        noNewPrivileges = process.noNewPrivileges ?? false
        seccomp = try linux?.seccomp.map { try SeccompProgram.compile($0, cache: seccompCache) }
        if let domain = linux?.personality?.domain {
            // PER_LINUX and PER_LINUX32 of <sys/personality.h>; validation allows only these.
            personality = domain == "LINUX32" ? 0x0008 : 0x0000
        }
        scheduler = process.scheduler.map(Self.schedAttr)
        if let io = process.ioPriority {
            let ioClass: Int32 = switch io.class {
            case "IOPRIO_CLASS_RT": 1
            case "IOPRIO_CLASS_IDLE": 3
            default: 2   // IOPRIO_CLASS_BE
            }
            ioPriority = ioClass << 13 | Int32(io.priority)
        }
        if let rules = process.landlock { landlock = try LandlockPlan(rules) }
    }

    /// struct sched_attr: policies and flags are numbered as the spec lists them.
    static func schedAttr(_ scheduler: Scheduler) -> hull_sched_attr {
        let flags = (scheduler.flags ?? []).reduce(UInt64(0)) { bits, name in
            bits | (Scheduler.knownFlags.firstIndex(of: name).map { UInt64(1) << UInt64($0) } ?? 0)
        }
        return hull_sched_attr(
            size: UInt32(MemoryLayout<hull_sched_attr>.size),
            sched_policy: UInt32(Scheduler.knownPolicies.firstIndex(of: scheduler.policy) ?? 0),
            sched_flags: flags, sched_nice: scheduler.nice ?? 0,
            sched_priority: UInt32(max(0, scheduler.priority ?? 0)),
            sched_runtime: scheduler.runtime ?? 0, sched_deadline: scheduler.deadline ?? 0,
            sched_period: scheduler.period ?? 0)
    }

    func cValue(_ arena: CArena) -> hull_security {
        var sec = hull_security()
        sec.cap_bounding = capabilities.bounding
        sec.cap_effective = capabilities.effective
        sec.cap_inheritable = capabilities.inheritable
        sec.cap_permitted = capabilities.permitted
        sec.cap_ambient = capabilities.ambient
        sec.cap_last = Int32(capabilities.last)
        sec.caps = capabilityState?.pointer
        sec.no_new_privs = noNewPrivileges ? 1 : 0
        if let seccomp {
            sec.seccomp_filter = UnsafeRawPointer(seccomp.instructions)
            sec.seccomp_filter_len = UInt16(seccomp.count)
            sec.seccomp_flags = seccomp.flags
        }
        sec.personality = personality
        if let scheduler {
            sec.set_scheduler = 1
            sec.scheduler = scheduler
        }
        sec.ioprio = ioPriority
        sec.landlock = landlock.cValue(arena)
        return sec
    }
}
