import XCTest
@testable import HullCore

/// The hand encoding of CRIU's RPC messages (field numbers of CRIU's images/rpc.proto), the
/// reading of CRIU's answers and log, and the small parses of the checkpoint flags.
final class CheckpointRPCTests: XCTestCase {
    func testVarintsStringsAndNestedMessages() {
        var inner = ProtobufWriter()
        inner.string(1, "ab")
        var w = ProtobufWriter()
        w.bool(3, true)
        w.uint32(20, 300)
        w.int32(2, -1)
        w.message(5, inner)
        XCTAssertEqual(w.bytes, [0x18, 0x01,                 // field 3, varint 1
                                 0xA0, 0x01, 0xAC, 0x02,     // field 20 (two-byte key), 300
                                 0x10] + [UInt8](repeating: 0xFF, count: 9) + [0x01, // -1: ten bytes
                                 0x2A, 0x04, 0x0A, 0x02, 0x61, 0x62]) // field 5: { field 1: "ab" }
    }

    func testReaderRoundTripsAndSkipsFixedFields() throws {
        var w = ProtobufWriter()
        w.int32(2, -5)
        w.string(9, "no")
        var bytes = w.bytes
        bytes += [0x0D, 1, 2, 3, 4]        // field 1, fixed32: skipped
        let fields = try ProtobufReader(bytes)
        XCTAssertEqual(fields.int32(2), -5)
        XCTAssertEqual(fields.string(9), "no")
        XCTAssertNil(fields.varint(1))
        XCTAssertThrowsError(try ProtobufReader([0x0A, 0x05, 0x61])) // length past the end
        XCTAssertThrowsError(try ProtobufReader([0x08, 0x80]))       // unterminated varint
    }

    func testDumpRequestFields() throws {
        var options = CriuOptions()
        options.imagesDirFd = 7
        options.pid = 1234
        options.leaveRunning = true
        options.logFile = "dump.log"
        options.root = "/b/rootfs"
        options.externalMounts = [(key: "/data", value: "/data")]
        options.inheritFds = [(key: "pipe:[99]", fd: 1)]
        options.cgroupRoots = [(controller: nil, path: "/c")]
        options.manageCgroupsMode = .soft
        options.freezeCgroup = "/sys/fs/cgroup/c"
        let request = try ProtobufReader(CriuRequest(type: .dump, options: options).encoded)
        XCTAssertEqual(request.varint(1), 1)          // type DUMP
        let opts = try XCTUnwrap(request.message(2))
        XCTAssertEqual(opts.int32(1), 7)              // images_dir_fd
        XCTAssertEqual(opts.int32(2), 1234)           // pid
        XCTAssertEqual(opts.bool(3), true)            // leave_running
        XCTAssertEqual(opts.int32(9), 4)              // log_level
        XCTAssertEqual(opts.string(10), "dump.log")   // log_file
        XCTAssertEqual(opts.string(13), "/b/rootfs")  // root
        let mount = try XCTUnwrap(opts.message(23))   // ext_mnt
        XCTAssertEqual(mount.string(1), "/data")
        XCTAssertEqual(mount.string(2), "/data")
        let inherit = try XCTUnwrap(opts.message(27)) // inherit_fd
        XCTAssertEqual(inherit.string(1), "pipe:[99]")
        XCTAssertEqual(inherit.int32(2), 1)
        let cgroupRoot = try XCTUnwrap(opts.message(25))
        XCTAssertNil(cgroupRoot.string(1))            // no ctrl: the default root
        XCTAssertEqual(cgroupRoot.string(2), "/c")
        XCTAssertEqual(opts.varint(34), 3)            // manage_cgroups_mode SOFT
        XCTAssertEqual(opts.string(44), "/sys/fs/cgroup/c") // freeze_cgroup
        XCTAssertEqual(opts.bool(50), true)           // orphan_pts_master
        XCTAssertNil(opts.varint(17))                 // no work_dir_fd unless given
    }

    func testNotifyAnswer() throws {
        let answer = try ProtobufReader(CriuRequest.notifyDone.encoded)
        XCTAssertEqual(answer.varint(1), 6)           // NOTIFY
        XCTAssertEqual(answer.bool(3), true)          // notify_success
    }

    /// Answers criu 3.17 sent on this host: a VERSION answer, and a DUMP that failed.
    func testResponsesFromCriu() throws {
        let version = try CriuResponse(decoding: [0x08, 0x0A, 0x10, 0x01, 0x52, 0x06, 0x08, 0x03, 0x10, 0x11, 0x20, 0x01])
        XCTAssertEqual(version.type, 10)
        XCTAssertTrue(version.success)
        let dump = try CriuResponse(decoding: [0x08, 0x01, 0x10, 0x00, 0x1A, 0x02, 0x08, 0x00])
        XCTAssertEqual(dump.type, 1)
        XCTAssertFalse(dump.success)
        XCTAssertThrowsError(try CriuResponse(decoding: [0x10, 0x01]))  // no type
    }

    func testRestoreAndNotifyResponses() throws {
        var restored = ProtobufWriter()
        restored.int32(1, 4321)
        var notify = ProtobufWriter()
        notify.string(1, "post-restore")
        notify.int32(2, 4321)
        var w = ProtobufWriter()
        w.varint(1, 6)
        w.bool(2, true)
        w.message(4, restored)
        w.message(5, notify)
        w.string(9, "oops")
        let response = try CriuResponse(decoding: w.bytes)
        XCTAssertEqual(response.restoredPid, 4321)
        XCTAssertEqual(response.notifyScript, "post-restore")
        XCTAssertEqual(response.notifyPid, 4321)
        XCTAssertEqual(response.errorMessage, "oops")
    }

    func testLogErrors() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("criu-log-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let tcp = dir.appendingPathComponent("dump.log").path
        try Data("""
        (00.01) Dumping tasks
        (00.02) Error (criu/util.c:642): exited, status=1
        (00.03) Error (criu/sk-inet.c:191): inet: Connected TCP socket, consider using --tcp-established option.
        (00.04) Error (criu/cr-dump.c:1611): Dump files (pid: 5) failed with -1
        """.utf8).write(to: URL(fileURLWithPath: tcp))
        XCTAssertEqual(CriuLog.firstError(in: tcp), "inet: Connected TCP socket, consider using --tcp-established option.")
        XCTAssertFalse(CriuLog.kernelDetectionFailed(in: tcp))
        let kernel = dir.appendingPathComponent("kernel.log").path
        try Data("Error (criu/kerndat.c:1615): kerndat_vdso_fill_symtable failed when initializing kerndat.\n".utf8)
            .write(to: URL(fileURLWithPath: kernel))
        XCTAssertTrue(CriuLog.kernelDetectionFailed(in: kernel))
        XCTAssertNil(CriuLog.firstError(in: dir.appendingPathComponent("missing.log").path))
    }

    func testDescriptorsBecomeInheritFdsForPipesOnly() {
        let inherit = CheckpointDescriptors.inheritFds(["/dev/null", "pipe:[10]", "pipe:[11]"])
        XCTAssertEqual(inherit.map(\.key), ["pipe:[10]", "pipe:[11]"])
        XCTAssertEqual(inherit.map(\.fd), [1, 2])
    }

    func testFlagParses() throws {
        XCTAssertEqual(try CriuCgroupMode(parsing: "strict"), .strict)
        XCTAssertEqual(try CriuCgroupMode(parsing: "ignore").rawValue, 0)
        XCTAssertThrowsError(try CriuCgroupMode(parsing: "props")) { error in
            XCTAssertEqual((error as? HullError)?.message,
                           "--manage-cgroups-mode: invalid value \"props\" (expected soft, full, strict or ignore)")
        }
        let server = try CheckpointRequest.parsePageServer("192.168.0.2:2000")
        XCTAssertEqual(server.address, "192.168.0.2")
        XCTAssertEqual(server.port, 2000)
        XCTAssertEqual(try CheckpointRequest.parsePageServer("[::1]:27").address, "::1")
        XCTAssertThrowsError(try CheckpointRequest.parsePageServer("host"))
        XCTAssertThrowsError(try CheckpointRequest.parsePageServer(":80"))
    }
}
