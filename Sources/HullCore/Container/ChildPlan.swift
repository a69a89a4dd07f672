#if canImport(Glibc)
import Glibc
#endif

/// Everything the container's init process does, computed in Swift from config.json before
/// clone(): the child itself parses nothing. `CChildConfig` turns it into the shim's struct.
struct ChildPlan {
    struct Join: Equatable { var flag: Int32; var path: String }
    struct Device: Equatable { var path: String; var mode: UInt32; var major: UInt32; var minor: UInt32; var uid: UInt32; var gid: UInt32 }
    struct Rlimit: Equatable { var resource: Int32; var soft: UInt64; var hard: UInt64; var name: String }

    var cloneFlags: Int32 = 0
    var joins: [Join] = []
    var newUserNamespace = false
    var timeOffsets: String?
    /// exec: a pidfd of the running init whose namespaces (`joinPidfdFlags`) the process joins,
    /// and its root directory; -1 for a new container.
    var joinPidfd: Int32 = -1
    var joinPidfdFlags: Int32 = 0
    var rootFd: Int32 = -1

    var rootfs = ""
    var rootPropagation = UInt(MS_SLAVE | MS_REC)
    var rootfsPropagation: UInt = 0
    var rootfsReadonly = false
    var noPivot = false
    var mounts: [PlannedMount] = []
    var devices: [Device] = []
    var bindDevices = false
    var symlinks: [(target: String, path: String)] = []
    var maskedPaths: [String] = []
    var readonlyPaths: [String] = []

    var hostname: String?
    var domainname: String?
    var sysctls: [(key: String, value: String)] = []
    var rlimits: [Rlimit] = []
    var oomScoreAdj: String?
    var sessionKeyring: String?

    var uid: UInt32 = 0
    var gid: UInt32 = 0
    var additionalGids: [UInt32] = []
    var setGroups = true
    var umask: Int32 = -1
    var cwd = "/"
    var args: [String] = []
    var env: [String] = []
    var preserveFds: Int32 = 0
    var terminal = false
    /// The pty is bound onto /dev/console (a new container, not an exec'd process).
    var mountConsole = false
    var consoleSize: Box?
    var security = SecurityPlan()
    var startHooks: [Hook] = []
    /// prestart, createRuntime or createContainer hooks: the init stops for them before pivot_root.
    var hasCreateHooks = false
}

/// The options of `create` and `run` that shape the child.
public struct LaunchOptions: Sendable {
    public var noPivot = false
    public var noNewKeyring = false
    public var preserveFds = 0

    public init(noPivot: Bool = false, noNewKeyring: Bool = false, preserveFds: Int = 0) {
        self.noPivot = noPivot
        self.noNewKeyring = noNewKeyring
        self.preserveFds = preserveFds
    }
}

extension ChildPlan {
    init(spec: Spec, id: String, bundle: String, options: LaunchOptions, cgroup: CgroupManager,
         hierarchies: CgroupHierarchies, seccompCache: SeccompCache? = nil) throws {
        guard let process = spec.process else { throw HullError("config.json: process: required to create a container") }
        guard let root = spec.root else { throw HullError("config.json: root: required field missing") }
        let linux = spec.linux
        try planNamespaces(linux?.namespaces ?? [], timeOffsets: linux?.timeOffsets)

        rootfs = Path.absolute(root.path, relativeTo: bundle)
        guard FileIO.isDirectory(rootfs) else {
            throw HullError("config.json: root.path: \(rootfs) is not a directory")
        }
        rootfsReadonly = root.readonly ?? false
        noPivot = options.noPivot
        if let propagation = linux?.rootfsPropagation, !propagation.isEmpty {
            guard let flag = MountOptions.propagationOptions[propagation] else {
                throw HullError("config.json: linux.rootfsPropagation: unknown propagation \"\(propagation)\"")
            }
            rootfsPropagation = flag
            // A shared or slave rootfs needs / in the new namespace to keep receiving events.
            if propagation.hasSuffix("shared") || propagation.hasSuffix("slave") { rootPropagation = flag | UInt(MS_REC) }
        }
        let hasCgroupNamespace = linux?.namespaces?.contains { $0.type == .cgroup } ?? false
        mounts = try (spec.mounts ?? []).enumerated().flatMap { index, mount in
            try PlannedMount.plan(mount, index: index, bundle: bundle, cgroup: cgroup,
                                  hierarchies: hierarchies, cgroupNamespace: hasCgroupNamespace)
        }
        planDevices(linux?.devices ?? [], mounts: spec.mounts ?? [])
        maskedPaths = linux?.maskedPaths ?? []
        readonlyPaths = linux?.readonlyPaths ?? []

        hostname = spec.hostname
        domainname = spec.domainname
        sysctls = (linux?.sysctl ?? [:]).sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
        sessionKeyring = options.noNewKeyring ? nil : "_ses.\(id)"
        preserveFds = Int32(options.preserveFds)
        try planProcess(process, linux: linux, root: rootfs, seccompCache: seccompCache)
        try planSetgroups(IDMaps(spec))
        mountConsole = terminal
        startHooks = spec.hooks?.startContainer ?? []
        hasCreateHooks = [spec.hooks?.prestart, spec.hooks?.createRuntime, spec.hooks?.createContainer]
            .contains { !($0 ?? []).isEmpty }
    }

    /// The process itself: the same for a container's init and an exec'd process. `root` is
    /// the container's root directory as the host sees it (for HOME).
    mutating func planProcess(_ process: Process, linux: Linux?, root: String, seccompCache: SeccompCache?) throws {
        rlimits = try (process.rlimits ?? []).enumerated().map { index, limit in
            guard let resource = Self.rlimitResources[limit.type] else {
                throw HullError("config.json: process.rlimits[\(index)].type: unknown rlimit \"\(limit.type)\"")
            }
            return Rlimit(resource: resource, soft: limit.soft, hard: limit.hard, name: limit.type)
        }
        oomScoreAdj = process.oomScoreAdj.map { String($0) }
        uid = process.user.uid
        gid = process.user.gid
        additionalGids = process.user.additionalGids ?? []
        umask = process.user.umask.map { Int32($0) } ?? -1
        cwd = process.cwd
        args = process.args ?? []
        env = process.env ?? []
        // As runc: without HOME, the user's home directory from the container's /etc/passwd.
        if !env.contains(where: { $0.hasPrefix("HOME=") }) {
            env.append("HOME=" + ContainerPasswd.home(uid: uid, root: root))
        }
        terminal = process.terminal ?? false
        consoleSize = process.consoleSize
        security = try SecurityPlan(process: process, linux: linux, seccompCache: seccompCache)
    }

    /// An unprivileged caller that maps only its own gid must deny setgroups(2) in the new
    /// user namespace (IDMaps), so the init cannot set supplementary groups (runc: the same).
    private mutating func planSetgroups(_ maps: IDMaps) throws {
        guard newUserNamespace && maps.deniesSetgroups else { return }
        setGroups = false
        if !additionalGids.isEmpty {
            throw HullError("config.json: process.user.additionalGids: cannot be set in a rootless container that maps only the caller's gid (map /etc/subgid ranges through newgidmap)")
        }
    }

    private mutating func planNamespaces(_ namespaces: [LinuxNamespace], timeOffsets: [String: LinuxTimeOffset]?) throws {
        for namespace in namespaces {
            let type = namespace.type.rawValue
            guard let flag = NamespaceKind.cloneFlags[type] else { continue }
            if let path = namespace.path, !path.isEmpty {
                joins.append(Join(flag: flag, path: path))
            } else {
                cloneFlags |= flag
            }
        }
        joins.sort { a, b in
            let order = NamespaceKind.joinOrder
            let name = { (flag: Int32) in NamespaceKind.cloneFlags.first { $0.value == flag }!.key }
            return order.firstIndex(of: name(a.flag))! < order.firstIndex(of: name(b.flag))!
        }
        let userFlag = NamespaceKind.cloneFlags["user"]!
        newUserNamespace = cloneFlags & userFlag != 0
        // mknod needs CAP_MKNOD in the initial user namespace: in (or into) any other one, the
        // devices are bound from the host, as runc does (rootless podman runs hull in its own).
        bindDevices = newUserNamespace || joins.contains { $0.flag == userFlag } || Rootless.runsInUserNamespace
        if let timeOffsets, !timeOffsets.isEmpty {
            timeOffsets.keys.sorted().forEach { clock in
                let offset = timeOffsets[clock]!
                self.timeOffsets = (self.timeOffsets ?? "") + "\(clock) \(offset.secs ?? 0) \(offset.nanosecs ?? 0)\n"
            }
        }
    }

    /// The default devices and symlinks (unless /dev is bind-mounted from elsewhere), then the
    /// config's devices, which override a default at the same path.
    private mutating func planDevices(_ configured: [LinuxDevice], mounts: [Mount]) {
        let devIsBound = mounts.contains { Path.clean($0.destination) == "/dev" && ($0.type == "bind" || ($0.options ?? []).contains { $0 == "bind" || $0 == "rbind" }) }
        if !devIsBound {
            devices = DefaultDevices.nodes.map {
                Device(path: $0.path, mode: UInt32(S_IFCHR) | 0o666, major: $0.major, minor: $0.minor, uid: 0, gid: 0)
            }
            symlinks = DefaultDevices.symlinks
            if mounts.contains(where: { Path.clean($0.destination) == "/dev/pts" }) {
                symlinks.append(DefaultDevices.ptmx)
            }
        }
        for device in configured {
            let typeBits: UInt32
            switch device.type {
            case "b": typeBits = UInt32(S_IFBLK)
            case "p": typeBits = UInt32(S_IFIFO)
            default: typeBits = UInt32(S_IFCHR)
            }
            let planned = Device(path: device.path, mode: typeBits | ((device.fileMode ?? 0o666) & 0o7777),
                                 major: UInt32(truncatingIfNeeded: device.major),
                                 minor: UInt32(truncatingIfNeeded: device.minor),
                                 uid: device.uid ?? 0, gid: device.gid ?? 0)
            devices.removeAll { $0.path == planned.path }
            devices.append(planned)
        }
    }

    static let rlimitResources: [String: Int32] = [
        "RLIMIT_CPU": 0, "RLIMIT_FSIZE": 1, "RLIMIT_DATA": 2, "RLIMIT_STACK": 3, "RLIMIT_CORE": 4,
        "RLIMIT_RSS": 5, "RLIMIT_NPROC": 6, "RLIMIT_NOFILE": 7, "RLIMIT_MEMLOCK": 8, "RLIMIT_AS": 9,
        "RLIMIT_LOCKS": 10, "RLIMIT_SIGPENDING": 11, "RLIMIT_MSGQUEUE": 12, "RLIMIT_NICE": 13,
        "RLIMIT_RTPRIO": 14, "RLIMIT_RTTIME": 15,
    ]
}
