/// The messages of CRIU's RPC ("swrk") interface that hull uses, encoded by hand (see
/// Protobuf.swift). Field numbers are those of `images/rpc.proto` in CRIU's source (criu 3.17:
/// messages `criu_opts`, `criu_req`, `criu_resp`, `criu_notify`, `criu_restore_resp`,
/// `ext_mount_map`, `inherit_fd`, `join_namespace`, `cgroup_root`, `criu_page_server_info`,
/// `criu_features`); each is written next to the field it encodes.

/// `enum criu_req_type`.
enum CriuRequestType: UInt64 {
    case dump = 1
    case restore = 2
    case check = 3
    case preDump = 4
    case notify = 6
    case featureCheck = 9
    case version = 10
}

/// `enum criu_cg_mode`, the values of `--manage-cgroups-mode` (runc's names).
public enum CriuCgroupMode: UInt64, Sendable {
    case ignore = 0
    case soft = 3
    case full = 4
    case strict = 5
    /// CRIU's default (soft), sent when the flag is not given.
    case `default` = 6

    public init(parsing text: String) throws {
        switch text {
        case "soft": self = .soft
        case "full": self = .full
        case "strict": self = .strict
        case "ignore": self = .ignore
        default:
            throw HullError("--manage-cgroups-mode: invalid value \"\(text)\" (expected soft, full, strict or ignore)")
        }
    }
}

/// `message criu_opts`: what one dump or restore is asked to do. Only the fields set here are sent.
struct CriuOptions {
    var imagesDirFd: Int32 = -1               // images_dir_fd = 1 (required)
    var pid: Int32?                           // pid = 2
    var leaveRunning = false                  // leave_running = 3
    var extUnixSk = false                     // ext_unix_sk = 4
    var tcpEstablished = false                // tcp_established = 5
    var evasiveDevices = false                // evasive_devices = 6
    var shellJob = false                      // shell_job = 7
    var fileLocks = false                     // file_locks = 8
    var logLevel: Int32 = 4                   // log_level = 9
    var logFile: String?                      // log_file = 10 (a name in the work directory)
    var pageServer: (address: String, port: Int32)? // ps = 11: criu_page_server_info address = 1, port = 2
    var notifyScripts = true                  // notify_scripts = 12
    var root: String?                         // root = 13
    var parentImage: String?                  // parent_img = 14
    var trackMem = false                      // track_mem = 15
    var autoDedup = false                     // auto_dedup = 16
    var workDirFd: Int32?                     // work_dir_fd = 17
    var externalMounts: [(key: String, value: String)] = [] // ext_mnt = 23: ext_mount_map key = 1, val = 2
    var manageCgroups = true                  // manage_cgroups = 24
    var cgroupRoots: [(controller: String?, path: String)] = [] // cg_root = 25: cgroup_root ctrl = 1, path = 2
    var restoreSibling = false                // rst_sibling = 26
    var inheritFds: [(key: String, fd: Int32)] = [] // inherit_fd = 27: inherit_fd key = 1, fd = 2
    var manageCgroupsMode: CriuCgroupMode = .default // manage_cgroups_mode = 34
    var external: [String] = []               // external = 37
    var emptyNamespaces: UInt32 = 0           // empty_ns = 38 (CLONE_NEW* mask)
    var joinNamespaces: [(ns: String, file: String)] = [] // join_ns = 39: join_namespace ns = 1, ns_file = 2
    var freezeCgroup: String?                 // freeze_cgroup = 44
    var lazyPages = false                     // lazy_pages = 48
    var statusFd: Int32?                      // status_fd = 49
    var orphanPtsMaster = true                // orphan_pts_master = 50

    var encoded: ProtobufWriter {
        var w = ProtobufWriter()
        w.int32(1, imagesDirFd)
        if let pid { w.int32(2, pid) }
        w.bool(3, leaveRunning)
        w.bool(4, extUnixSk)
        w.bool(5, tcpEstablished)
        w.bool(6, evasiveDevices)
        w.bool(7, shellJob)
        w.bool(8, fileLocks)
        w.int32(9, logLevel)
        if let logFile { w.string(10, logFile) }
        if let pageServer {
            var ps = ProtobufWriter()
            ps.string(1, pageServer.address)
            ps.int32(2, pageServer.port)
            w.message(11, ps)
        }
        w.bool(12, notifyScripts)
        if let root { w.string(13, root) }
        if let parentImage { w.string(14, parentImage) }
        w.bool(15, trackMem)
        w.bool(16, autoDedup)
        if let workDirFd { w.int32(17, workDirFd) }
        for mount in externalMounts { w.message(23, Self.pair(mount.key, mount.value)) }
        w.bool(24, manageCgroups)
        for root in cgroupRoots {
            var entry = ProtobufWriter()
            if let controller = root.controller { entry.string(1, controller) }
            entry.string(2, root.path)
            w.message(25, entry)
        }
        w.bool(26, restoreSibling)
        for inherit in inheritFds {
            var entry = ProtobufWriter()
            entry.string(1, inherit.key)
            entry.int32(2, inherit.fd)
            w.message(27, entry)
        }
        w.varint(34, manageCgroupsMode.rawValue)
        for value in external { w.string(37, value) }
        if emptyNamespaces != 0 { w.uint32(38, emptyNamespaces) }
        for join in joinNamespaces { w.message(39, Self.pair(join.ns, join.file)) }
        if let freezeCgroup { w.string(44, freezeCgroup) }
        w.bool(48, lazyPages)
        if let statusFd { w.int32(49, statusFd) }
        w.bool(50, orphanPtsMaster)
        return w
    }

    /// A message of two strings numbered 1 and 2 (ext_mount_map, join_namespace).
    private static func pair(_ first: String, _ second: String) -> ProtobufWriter {
        var w = ProtobufWriter()
        w.string(1, first)
        w.string(2, second)
        return w
    }
}

/// `message criu_req`.
struct CriuRequest {
    var type: CriuRequestType                 // type = 1
    var options: CriuOptions?                 // opts = 2
    var notifySuccess: Bool?                  // notify_success = 3
    var memTrackFeature = false               // features = 5: criu_features mem_track = 1

    var encoded: [UInt8] {
        var w = ProtobufWriter()
        w.varint(1, type.rawValue)
        if let options { w.message(2, options.encoded) }
        if let notifySuccess { w.bool(3, notifySuccess) }
        if memTrackFeature {
            var features = ProtobufWriter()
            features.bool(1, true)
            w.message(5, features)
        }
        return w.bytes
    }

    /// The answer to a notification: go on.
    static let notifyDone = CriuRequest(type: .notify, notifySuccess: true)
}

/// `message criu_resp`.
struct CriuResponse {
    var type: UInt64                          // type = 1
    var success: Bool                         // success = 2
    var restoredPid: Int32?                   // restore = 4: criu_restore_resp pid = 1
    var notifyScript: String?                 // notify = 5: criu_notify script = 1
    var notifyPid: Int32?                     //             criu_notify pid = 2
    var errno: Int32?                         // cr_errno = 7
    var memTrack: Bool?                       // features = 8: criu_features mem_track = 1
    var errorMessage: String?                 // cr_errmsg = 9

    init(decoding bytes: [UInt8]) throws {
        let fields = try ProtobufReader(bytes)
        guard let type = fields.varint(1), let success = fields.bool(2) else { throw ProtobufReader.malformed }
        self.type = type
        self.success = success
        restoredPid = try fields.message(4)?.int32(1)
        let notify = try fields.message(5)
        notifyScript = notify?.string(1)
        notifyPid = notify?.int32(2)
        errno = fields.int32(7)
        memTrack = try fields.message(8)?.bool(1)
        errorMessage = fields.string(9)
    }
}
