import CHullShim

/// What a runtime supports, as `hull features` prints it: the model of the runtime-spec's
/// features.md (`specs-go/features`). A nil list or flag means "unknown"; an empty list or
/// `false` means "not supported".
public struct Features: Codable, Equatable, Sendable {
    public var ociVersionMin: String?
    public var ociVersionMax: String?
    /// Hook names, such as "createRuntime".
    public var hooks: [String]?
    /// Mount options recognised (filesystem-specific data options are not listed).
    public var mountOptions: [String]?
    public var linux: Linux?
    public var annotations: [String: String]?
    /// Config annotations that may weaken isolation; a trailing "." makes an entry a prefix.
    public var potentiallyUnsafeConfigAnnotations: [String]?

    public init(
        ociVersionMin: String? = nil,
        ociVersionMax: String? = nil,
        hooks: [String]? = nil,
        mountOptions: [String]? = nil,
        linux: Linux? = nil,
        annotations: [String: String]? = nil,
        potentiallyUnsafeConfigAnnotations: [String]? = nil
    ) {
        self.ociVersionMin = ociVersionMin
        self.ociVersionMax = ociVersionMax
        self.hooks = hooks
        self.mountOptions = mountOptions
        self.linux = linux
        self.annotations = annotations
        self.potentiallyUnsafeConfigAnnotations = potentiallyUnsafeConfigAnnotations
    }

    /// The Linux part (`linux`).
    public struct Linux: Codable, Equatable, Sendable {
        /// Namespace types, such as "mount".
        public var namespaces: [String]?
        /// Capability names, such as "CAP_SYS_ADMIN".
        public var capabilities: [String]?
        public var cgroup: Cgroup?
        public var seccomp: Seccomp?
        public var apparmor: Apparmor?
        public var selinux: Selinux?
        public var intelRdt: IntelRdt?
        public var memoryPolicy: MemoryPolicy?
        public var mountExtensions: MountExtensions?
        public var netDevices: NetDevices?

        public init(
            namespaces: [String]? = nil,
            capabilities: [String]? = nil,
            cgroup: Cgroup? = nil,
            seccomp: Seccomp? = nil,
            apparmor: Apparmor? = nil,
            selinux: Selinux? = nil,
            intelRdt: IntelRdt? = nil,
            memoryPolicy: MemoryPolicy? = nil,
            mountExtensions: MountExtensions? = nil,
            netDevices: NetDevices? = nil
        ) {
            self.namespaces = namespaces
            self.capabilities = capabilities
            self.cgroup = cgroup
            self.seccomp = seccomp
            self.apparmor = apparmor
            self.selinux = selinux
            self.intelRdt = intelRdt
            self.memoryPolicy = memoryPolicy
            self.mountExtensions = mountExtensions
            self.netDevices = netDevices
        }
    }

    /// Which cgroup drivers are built in (not what the host runs).
    public struct Cgroup: Codable, Equatable, Sendable {
        public var v1: Bool?
        public var v2: Bool?
        public var systemd: Bool?
        public var systemdUser: Bool?
        public var rdma: Bool?

        public init(v1: Bool? = nil, v2: Bool? = nil, systemd: Bool? = nil, systemdUser: Bool? = nil, rdma: Bool? = nil) {
            self.v1 = v1
            self.v2 = v2
            self.systemd = systemd
            self.systemdUser = systemdUser
            self.rdma = rdma
        }
    }

    public struct Seccomp: Codable, Equatable, Sendable {
        public var enabled: Bool?
        public var actions: [String]?
        public var operators: [String]?
        public var archs: [String]?
        /// Filter flags recognised.
        public var knownFlags: [String]?
        /// Filter flags the kernel and libseccomp support here (a subset of `knownFlags`).
        public var supportedFlags: [String]?

        public init(
            enabled: Bool? = nil,
            actions: [String]? = nil,
            operators: [String]? = nil,
            archs: [String]? = nil,
            knownFlags: [String]? = nil,
            supportedFlags: [String]? = nil
        ) {
            self.enabled = enabled
            self.actions = actions
            self.operators = operators
            self.archs = archs
            self.knownFlags = knownFlags
            self.supportedFlags = supportedFlags
        }
    }

    public struct Apparmor: Codable, Equatable, Sendable {
        public var enabled: Bool?
        public init(enabled: Bool? = nil) { self.enabled = enabled }
    }

    public struct Selinux: Codable, Equatable, Sendable {
        public var enabled: Bool?
        public init(enabled: Bool? = nil) { self.enabled = enabled }
    }

    public struct IntelRdt: Codable, Equatable, Sendable {
        public var enabled: Bool?
        /// Whether `linux.intelRdt.schemata` is implemented.
        public var schemata: Bool?
        /// Whether `linux.intelRdt.enableMonitoring` is implemented.
        public var monitoring: Bool?

        public init(enabled: Bool? = nil, schemata: Bool? = nil, monitoring: Bool? = nil) {
            self.enabled = enabled
            self.schemata = schemata
            self.monitoring = monitoring
        }
    }

    public struct MemoryPolicy: Codable, Equatable, Sendable {
        public var modes: [String]?
        public var flags: [String]?

        public init(modes: [String]? = nil, flags: [String]? = nil) {
            self.modes = modes
            self.flags = flags
        }
    }

    public struct MountExtensions: Codable, Equatable, Sendable {
        public var idmap: IDMap?
        public init(idmap: IDMap? = nil) { self.idmap = idmap }
    }

    /// ID-mapped mounts (`mounts[].uidMappings`, the `idmap` and `ridmap` options).
    public struct IDMap: Codable, Equatable, Sendable {
        public var enabled: Bool?
        public init(enabled: Bool? = nil) { self.enabled = enabled }
    }

    public struct NetDevices: Codable, Equatable, Sendable {
        public var enabled: Bool?
        public init(enabled: Bool? = nil) { self.enabled = enabled }
    }
}

extension Features {
    /// What hull implements, for `hull features`. Built from `Features.Implemented`.
    public static var hull: Features {
        typealias I = Implemented
        return Features(
            ociVersionMin: I.ociVersionMin,
            ociVersionMax: I.ociVersionMax,
            hooks: I.hooks,
            mountOptions: I.mountOptions,
            linux: Linux(
                namespaces: I.namespaces,
                capabilities: I.capabilities,
                cgroup: Cgroup(v1: I.cgroupV1, v2: I.cgroupV2, systemd: I.cgroupSystemd,
                               systemdUser: I.cgroupSystemdUser, rdma: I.cgroupRdma),
                seccomp: Seccomp(enabled: I.seccompEnabled, actions: I.seccompActions, operators: I.seccompOperators,
                                 archs: I.seccompArchs, knownFlags: I.seccompKnownFlags,
                                 supportedFlags: I.seccompSupportedFlags),
                apparmor: Apparmor(enabled: I.apparmor),
                selinux: Selinux(enabled: I.selinux),
                intelRdt: IntelRdt(enabled: I.intelRdt, schemata: I.intelRdtSchemata, monitoring: I.intelRdtMonitoring),
                memoryPolicy: MemoryPolicy(modes: I.memoryPolicyModes, flags: I.memoryPolicyFlags),
                mountExtensions: MountExtensions(idmap: IDMap(enabled: I.idmapMounts)),
                netDevices: NetDevices(enabled: I.netDevices)
            ),
            annotations: [
                "io.github.seccomp.libseccomp.version": HullVersion.libseccomp,
                "hull.version": HullVersion.version,
                // process.landlock (a runtime-spec proposal, no features field yet): the
                // kernel's Landlock ABI, 0 when it has none (LandlockTests).
                "hull.landlock.abi": String(hull_landlock_abi()),
            ]
        )
    }

    /// The truth `hull features` tells, one constant per claim.
    ///
    /// RULE: every entry listed here, and every `true`, must be covered by a test that shows
    /// hull doing it (an integration test for what reaches the kernel). When a feature lands,
    /// add its names here together with that test; until then a list stays empty and a flag
    /// `false` ("not supported"), never `nil` ("unknown").
    ///
    /// The spec versions, hook names, namespace types and mount options are what the model
    /// reads and the lifecycle applies (SpecDecodingTests, FeaturesTests, the Lifecycle tests);
    /// capabilities and seccomp are shown reaching the kernel by the Security tests.
    public enum Implemented {
        public static let ociVersionMin = "1.0.0"
        public static let ociVersionMax = HullVersion.specVersion
        public static let hooks = Hooks.names
        /// Sorted, as runc lists them.
        public static let namespaces = LinuxNamespaceType.allCases.map(\.rawValue).sorted()
        public static let mountOptions = MountOptions.known

        /// Every capability name hull maps to a number (those the kernel lacks are skipped
        /// with a warning): CapabilityTests.
        public static let capabilities = Capability.names

        /// The cgroupfs driver on v1/hybrid hosts (every resource, the devices controller,
        /// freezer) and on pure v2 hosts (every resource, device rules as an eBPF program,
        /// cgroup.freeze, cgroup.kill): Tests/HullIntegrationTests/Cgroups, run on this hybrid
        /// host and in the pure cgroup v2 QEMU guest (`make test-cgroupv2`); the systemd driver
        /// on cgroup v2 (`--systemd-cgroup`, SystemdCgroupTests in that guest booted with
        /// systemd, `make test-systemd`). Not applied yet: the systemd user instance (rootless),
        /// rdma (written, but no test host has an RDMA device), LSMs, Intel RDT, memory policy,
        /// ID-mapped mounts and network devices.
        public static let cgroupV1 = true
        public static let cgroupV2 = true
        public static let cgroupSystemd = true
        public static let cgroupSystemdUser = false
        public static let cgroupRdma = false
        /// Seccomp (SeccompTests): every action (SCMP_ACT_NOTIFY with a listener), every
        /// operator, the architectures this libseccomp can add next to the native one, and the
        /// filter flags this kernel accepts.
        public static let seccompEnabled = true
        public static let seccompActions = LinuxSeccomp.knownActions
        public static let seccompOperators = LinuxSeccomp.knownOperators
        public static var seccompArchs: [String] { SeccompSupport.knownArchitectures }
        public static let seccompKnownFlags = LinuxSeccomp.knownFlags
        public static var seccompSupportedFlags: [String] { SeccompSupport.supportedFlags }
        public static let apparmor = false
        public static let selinux = false
        public static let intelRdt = false
        public static let intelRdtSchemata = false
        public static let intelRdtMonitoring = false
        public static let memoryPolicyModes: [String] = []
        public static let memoryPolicyFlags: [String] = []
        public static let idmapMounts = false
        public static let netDevices = false
    }
}
