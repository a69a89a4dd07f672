import Foundation
import Glibc
import XCTest

/// process.capabilities: the five sets, read from /proc/PID/status of the running process
/// from outside; across a change to a non-root user; unknown names.
final class CapabilityTests: LifecycleTestCase {
    private let kill = 5, setuid = 7, netBindService = 10, netRaw = 13, sysAdmin = 21, auditWrite = 29

    func testDefaultSetsOfRuncsSpecForRoot() throws {
        // runc spec: bounding, effective and permitted (and ambient) hold AUDIT_WRITE, KILL and
        // NET_BIND_SERVICE; no inheritable set, so nothing can be ambient (runc: the same).
        let caps = try capabilitiesOfRunningContainer()
        let three = capMask(kill, netBindService, auditWrite)
        XCTAssertEqual(caps, ["CapBnd": three, "CapEff": three, "CapPrm": three, "CapInh": 0, "CapAmb": 0])
    }

    func testEachSetIsApplied() throws {
        setCapabilities(["bounding": ["CAP_KILL", "CAP_NET_RAW", "CAP_SYS_ADMIN", "CAP_SETUID"],
                         "permitted": ["CAP_KILL", "CAP_NET_RAW", "CAP_SETUID"],
                         "effective": ["CAP_KILL", "CAP_SETUID"],
                         "inheritable": ["CAP_KILL", "CAP_NET_RAW"],
                         "ambient": ["CAP_KILL"]])
        // As root, execve gives the permitted set of the bounding set, but no_new_privs (set by
        // runc's spec) keeps it within the permitted set hull applied.
        let caps = try capabilitiesOfRunningContainer()
        XCTAssertEqual(caps, ["CapBnd": capMask(kill, setuid, netRaw, sysAdmin), "CapInh": capMask(kill, netRaw),
                              "CapAmb": capMask(kill), "CapPrm": capMask(kill, setuid, netRaw),
                              "CapEff": capMask(kill, setuid, netRaw)])
    }

    func testNonRootUserKeepsOnlyTheConfiguredCapabilities() throws {
        bundle.setUser(uid: 1000, gid: 1000)
        setCapabilities(["bounding": ["CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_AUDIT_WRITE"],
                         "permitted": ["CAP_KILL", "CAP_NET_BIND_SERVICE"],
                         "effective": ["CAP_KILL", "CAP_NET_BIND_SERVICE"],
                         "inheritable": ["CAP_KILL", "CAP_NET_BIND_SERVICE"],
                         "ambient": ["CAP_NET_BIND_SERVICE"]])
        // A non-root process keeps across execve only its ambient capabilities (in permitted
        // and effective); the caps survived the uid change (keep-caps), or ambient would be empty.
        let caps = try capabilitiesOfRunningContainer()
        XCTAssertEqual(caps, ["CapBnd": capMask(kill, netBindService, auditWrite),
                              "CapInh": capMask(kill, netBindService),
                              "CapPrm": capMask(netBindService), "CapEff": capMask(netBindService),
                              "CapAmb": capMask(netBindService)])
    }

    func testNonRootUserWithoutAmbientHasNoCapabilities() throws {
        bundle.setUser(uid: 1000, gid: 1000)
        let caps = try capabilitiesOfRunningContainer()
        XCTAssertEqual(caps, ["CapBnd": capMask(kill, netBindService, auditWrite), "CapInh": 0, "CapPrm": 0,
                              "CapEff": 0, "CapAmb": 0])
    }

    func testCapabilitiesTakeEffectInside() {
        // CAP_CHOWN is not in runc's default set: chown as root fails; with it, it works.
        let script = "touch /dev/shm/f && chown 1000 /dev/shm/f 2>/dev/null && echo chowned || echo denied"
        XCTAssertEqual(runContainer(["sh", "-c", script]).stdout, "denied\n")
        setCapabilities(["bounding": ["CAP_CHOWN"], "effective": ["CAP_CHOWN"], "permitted": ["CAP_CHOWN"]])
        XCTAssertEqual(runContainer(["sh", "-c", script]).stdout, "chowned\n")
    }

    func testNoCapabilitiesFieldMeansNoCapabilities() throws {
        setProcessField("capabilities", nil)
        let caps = try capabilitiesOfRunningContainer()
        XCTAssertEqual(caps, ["CapBnd": 0, "CapInh": 0, "CapPrm": 0, "CapEff": 0, "CapAmb": 0])
    }

    func testUnknownCapabilityIsSkippedWithAWarning() throws {
        setCapabilities(["bounding": ["CAP_KILL", "CAP_NOT_A_THING", "CAP_FUTURE"],
                         "effective": ["CAP_KILL", "CAP_NOT_A_THING"], "permitted": ["CAP_KILL", "CAP_NOT_A_THING"]])
        let result = runContainer(["grep", "CapEff", "/proc/self/status"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout.split(whereSeparator: \.isWhitespace).last.map(String.init), "0000000000000020")
        XCTAssertTrue(result.stderr.contains("level=warning msg=\"ignoring unknown or unavailable capabilities: [CAP_NOT_A_THING CAP_FUTURE]\""),
                      result.stderr)
    }
}
