#if canImport(Glibc)
import Glibc
#endif

/// `--rootless auto|true|false`, runc's global flag. As in runc it decides only how cgroups are
/// treated (`usesRootlessCgroups`); what an unprivileged caller cannot do (write id maps beyond
/// its own ids, call setgroups, use /run) follows from its euid (`Rootless.callerIsUnprivileged`).
public enum RootlessMode: String, Sendable, CaseIterable {
    case auto, `true`, `false`

    public init(parsing value: String) throws {
        guard let mode = RootlessMode(rawValue: value) else {
            throw HullError("--rootless: invalid value \"\(value)\" (expected auto, true or false)")
        }
        self = mode
    }

    /// Whether a cgroup the caller may not create is skipped rather than an error (when no
    /// limits are asked for). auto: an unprivileged caller, or root of a user namespace that is
    /// not the initial one (runc's cgroupfs driver decides the same).
    public var usesRootlessCgroups: Bool {
        switch self {
        case .true: true
        case .false: false
        case .auto: Rootless.callerIsUnprivileged || Rootless.runsInUserNamespace
        }
    }
}

/// Facts about the caller that rootless containers depend on.
public enum Rootless {
    /// The caller is not root: it maps ids through newuidmap/newgidmap or only its own, and
    /// keeps its state under $XDG_RUNTIME_DIR.
    public static var callerIsUnprivileged: Bool { geteuid() != 0 }

    /// hull runs in a user namespace other than the initial one (whose uid_map maps all 2^32 ids).
    public static var runsInUserNamespace: Bool {
        guard let map = try? FileIO.readString("/proc/self/uid_map") else { return false }
        return map.split(whereSeparator: { $0 == " " || $0 == "\n" }) != ["0", "0", "4294967295"]
    }

    /// The default state root: `$XDG_RUNTIME_DIR/hull` for an unprivileged caller (or root of a
    /// user namespace whose USER is not root), else /run/hull; runc's rule for /run/runc.
    public static var defaultStateRoot: String {
        guard let xdg = getenv("XDG_RUNTIME_DIR").map({ String(cString: $0) }), !xdg.isEmpty,
              honoursXDGRuntimeDir else { return "/run/hull" }
        return xdg + "/hull"
    }

    private static var honoursXDGRuntimeDir: Bool {
        if callerIsUnprivileged { return true }
        guard runsInUserNamespace else { return false }
        return getenv("USER").map { String(cString: $0) != "root" } ?? true
    }
}
