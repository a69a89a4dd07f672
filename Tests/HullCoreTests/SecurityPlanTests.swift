import Foundation
import XCTest
@testable import HullCore

/// The parent's half of process security: capability names to masks, seccomp names to
/// libseccomp values, compiling, and the cache of compiled programs.
final class SecurityPlanTests: XCTestCase {
    func testCapabilityMasks() {
        let sets = CapabilitySets(LinuxCapabilities(bounding: ["CAP_CHOWN", "CAP_KILL", "CAP_CHECKPOINT_RESTORE"],
                                                    effective: ["CAP_KILL"], inheritable: ["CAP_KILL"],
                                                    permitted: ["CAP_KILL", "CAP_SYS_ADMIN"], ambient: ["CAP_KILL"]),
                                  kernelLast: 40)
        XCTAssertEqual(sets, CapabilitySets(bounding: 1 | 1 << 5 | 1 << 40, effective: 1 << 5, inheritable: 1 << 5,
                                            permitted: 1 << 5 | 1 << 21, ambient: 1 << 5, last: 40))
    }

    func testUnknownAndUnavailableCapabilitiesAreSkipped() {
        // CAP_BPF is 39: a kernel whose last capability is 38 lacks it.
        let sets = CapabilitySets(LinuxCapabilities(bounding: ["CAP_KILL", "CAP_BPF", "CAP_NOPE", "cap_kill"]), kernelLast: 38)
        XCTAssertEqual(sets.bounding, 1 << 5)
        XCTAssertEqual(sets.last, 38)
    }

    func testAmbientIsCutToPermittedAndInheritable() {
        let sets = CapabilitySets(LinuxCapabilities(inheritable: ["CAP_KILL", "CAP_CHOWN"], permitted: ["CAP_KILL"],
                                                    ambient: ["CAP_KILL", "CAP_CHOWN", "CAP_NET_RAW"]), kernelLast: 40)
        XCTAssertEqual(sets.ambient, 1 << 5)
    }

    func testNoCapabilitiesAreEmptySets() {
        XCTAssertEqual(CapabilitySets(nil, kernelLast: 40), CapabilitySets(last: 40))
    }

    func testCapabilityNumbersFollowTheKernel() {
        XCTAssertEqual(Capability.names.count, 41)
        XCTAssertEqual(Capability.numbers["CAP_SYS_ADMIN"], 21)
        XCTAssertEqual(Capability.numbers["CAP_AUDIT_WRITE"], 29)
        XCTAssertEqual(Capability.numbers["CAP_BPF"], 39)
    }

    func testSeccompActionValues() {
        XCTAssertEqual(SeccompNames.action("SCMP_ACT_ALLOW", errno: nil), 0x7fff_0000)
        XCTAssertEqual(SeccompNames.action("SCMP_ACT_ERRNO", errno: nil), 0x0005_0001, "EPERM by default")
        XCTAssertEqual(SeccompNames.action("SCMP_ACT_ERRNO", errno: 38), 0x0005_0026)
        XCTAssertEqual(SeccompNames.action("SCMP_ACT_TRACE", errno: 5), 0x7ff0_0005)
        XCTAssertEqual(SeccompNames.action("SCMP_ACT_KILL", errno: nil), 0)
        XCTAssertEqual(SeccompNames.action("SCMP_ACT_KILL_PROCESS", errno: nil), 0x8000_0000)
        XCTAssertEqual(SeccompNames.action("SCMP_ACT_NOTIFY", errno: nil), 0x7fc0_0000)
        XCTAssertEqual(Set(SeccompNames.operators.keys), Set(LinuxSeccomp.knownOperators))
        XCTAssertEqual(SeccompNames.libseccompArch("SCMP_ARCH_X86_64"), "x86_64")
    }

    private let profile = LinuxSeccomp(defaultAction: "SCMP_ACT_ALLOW", syscalls: [
        LinuxSyscall(names: ["mkdir", "not_a_syscall"], action: "SCMP_ACT_ERRNO", errnoRet: 38),
        LinuxSyscall(names: ["kill"], action: "SCMP_ACT_ERRNO", args: [LinuxSeccompArg(index: 1, value: 9, op: "SCMP_CMP_EQ")]),
    ])

    func testCompileSkipsUnknownNames() throws {
        let entry = try SeccompInput(profile).compile()
        XCTAssertEqual(entry.skipped, "not_a_syscall")
        XCTAssertGreaterThan(entry.program.count, 0)
        XCTAssertEqual(entry.program.count % 8, 0, "struct sock_filter is 8 bytes")
    }

    /// Under a blocking default action the program starts with runc's ENOSYS stub (load the
    /// arch, ..., return ERRNO(ENOSYS)); under SCMP_ACT_ALLOW it is libseccomp's alone.
    func testENOSYSStubOnlyUnderABlockingDefault() throws {
        let blocking = LinuxSeccomp(defaultAction: "SCMP_ACT_ERRNO", syscalls: [LinuxSyscall(names: ["mkdir"], action: "SCMP_ACT_ALLOW")])
        let allowingProfile = LinuxSeccomp(defaultAction: "SCMP_ACT_ALLOW", syscalls: [LinuxSyscall(names: ["mkdir"], action: "SCMP_ACT_ERRNO")])
        let allowing = try SeccompInput(allowingProfile).compile().program
        let stubbed = try SeccompInput(blocking).compile().program
        let instructions = { (bytes: [UInt8]) -> [(code: UInt16, k: UInt32)] in
            bytes.withUnsafeBytes { raw in
                stride(from: 0, to: raw.count, by: 8).map { offset -> (code: UInt16, k: UInt32) in
                    (code: raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self),
                     k: raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
                }
            }
        }
        let stub = instructions(stubbed)
        XCTAssertEqual(stub[0].code, 0x20, "BPF_LD|BPF_W|BPF_ABS")
        XCTAssertEqual(stub[0].k, 4, "seccomp_data.arch")
        XCTAssertTrue(stub.prefix(8).contains { $0.code == 0x06 && $0.k == 0x0005_0026 }, "BPF_RET ERRNO(ENOSYS)")
        XCTAssertFalse(instructions(allowing).contains { $0.code == 0x06 && $0.k == 0x0005_0026 })
    }

    func testNotifyNeedsAListener() {
        let notify = LinuxSeccomp(defaultAction: "SCMP_ACT_NOTIFY")
        XCTAssertThrowsError(try SeccompProgram.compile(notify)) { error in
            XCTAssertEqual("\(error)", "config.json: linux.seccomp.listenerPath: required when an action is SCMP_ACT_NOTIFY")
        }
    }

    func testCacheKeyCoversEveryInput() {
        var other = profile
        XCTAssertEqual(SeccompInput(other).cacheKey, SeccompInput(profile).cacheKey)
        other.syscalls?[0].errnoRet = 1
        XCTAssertNotEqual(SeccompInput(other).cacheKey, SeccompInput(profile).cacheKey)
        other = profile
        other.syscalls?[1].args?[0].op = "SCMP_CMP_NE"
        XCTAssertNotEqual(SeccompInput(other).cacheKey, SeccompInput(profile).cacheKey)
        other = profile
        other.architectures = ["SCMP_ARCH_X86"]
        XCTAssertNotEqual(SeccompInput(other).cacheKey, SeccompInput(profile).cacheKey)
        other = profile
        other.listenerPath = "/run/listener.sock"
        XCTAssertEqual(SeccompInput(other).cacheKey, SeccompInput(profile).cacheKey, "the listener does not change the program")
    }

    func testCacheRoundTripAndExactKeys() throws {
        let root = NSTemporaryDirectory() + "hull-cache-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let cache = SeccompCache(root: root)
        let key = SeccompInput(profile).cacheKey
        XCTAssertNil(cache.load(key: key))
        let entry = try SeccompInput(profile).compile()
        cache.store(key: key, entry)
        XCTAssertEqual(cache.load(key: key), entry)

        // A file under the right name whose key differs (a hash collision, a stale format) is not used.
        let files = try FileManager.default.contentsOfDirectory(atPath: cache.directory)
        XCTAssertEqual(files.count, 1)
        let path = cache.directory + "/" + files[0]
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let offset = try XCTUnwrap(bytes.range(of: Data("rule".utf8))).lowerBound
        bytes[offset] = UInt8(ascii: "R")
        try bytes.write(to: URL(fileURLWithPath: path))
        XCTAssertNil(cache.load(key: key))
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertNil(cache.load(key: key))
    }
}
