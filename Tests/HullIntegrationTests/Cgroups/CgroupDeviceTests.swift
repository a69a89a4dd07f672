import Foundation
import Glibc
import HullCore
import XCTest

/// Device rules reaching the kernel: the v1 devices controller on a v1/hybrid host, the eBPF
/// device program on a pure v2 host (the cgroup v2 guest). The same expectations hold on both.
///
/// Major 240 is for local use: no driver answers it, so an open the cgroup allows fails with
/// ENXIO ("No such device or address") and one it denies with EPERM ("Operation not permitted").
final class CgroupDeviceTests: CgroupTestCase {
    private func makeTestDevice() {
        XCTAssertEqual(mknod(bundle.rootfs + "/testdev", S_IFCHR | 0o666, dev_t(240 << 8) /* makedev(240, 0) */), 0)
    }

    private func setDeviceRules(_ rules: [[String: Any]]) {
        bundle.editLinux { linux in
            var resources = linux["resources"] as? [String: Any] ?? [:]
            resources["devices"] = rules
            linux["resources"] = resources
        }
    }

    func testTheLastMatchingRuleDecidesPerAccess() throws {
        makeTestDevice()
        setDeviceRules([["allow": false, "access": "rwm"],
                        ["allow": true, "type": "c", "major": 240, "minor": 0, "access": "rwm"],
                        ["allow": false, "type": "c", "major": 240, "minor": 0, "access": "w"]])
        let result = runContainer(["sh", "-c", "cat /testdev; echo x > /testdev"])
        XCTAssertNotEqual(result.status, 0)
        let lines = result.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 2, result.stderr)
        XCTAssertTrue(lines.first?.contains("No such device or address") == true, "reading is allowed: \(result.stderr)")
        XCTAssertTrue(lines.last?.contains("Operation not permitted") == true, "writing is denied: \(result.stderr)")
    }

    func testAnAllowAllRuleAfterTheDenyOpensEveryDevice() throws {
        makeTestDevice()
        setDeviceRules([["allow": false, "access": "rwm"], ["allow": true, "type": "a", "access": "rwm"]])
        let result = runContainer(["cat", "/testdev"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("No such device or address"), result.stderr)
    }

    func testTheDefaultDevicesStayUsable() throws {
        // runc's default rules: deny all, then the config's nodes and the devices every container
        // may use. /dev/tty has no controlling terminal here (ENXIO), and the pts slave of a new
        // ptmx is locked (EIO): both are errors of the driver, not of the device cgroup.
        let script = """
            echo x > /dev/null && echo null
            head -c 4 /dev/zero | wc -c
            head -c 4 /dev/urandom | wc -c
            head -c 4 /dev/random | wc -c
            echo x > /dev/full || true
            exec 3<>/dev/ptmx && echo ptmx
            true < /dev/pts/0
            true < /dev/tty
            true
            """
        let result = runContainer(["sh", "-c", script])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) },
                       ["null", "4", "4", "4", "ptmx"])
        XCTAssertFalse(result.stderr.contains("Operation not permitted"), result.stderr)
        XCTAssertTrue(result.stderr.contains("No space left on device"), "/dev/full opens: \(result.stderr)")
    }

    func testTheDefaultDevicesCannotBeDeniedAsInRunc() throws {
        // runc appends its allowed devices after the config's rules, so a rule denying
        // /dev/null does not take it away (runc's specconv: "users cannot disable this").
        setDeviceRules([["allow": false, "access": "rwm"], ["allow": false, "type": "c", "major": 1, "minor": 3, "access": "rw"]])
        let result = runContainer(["sh", "-c", "echo x > /dev/null && cat /dev/null && echo ok"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "ok\n")
    }

    func testUpdateReplacesTheDeviceProgramAndKeepsTheRules() throws {
        makeTestDevice()
        let shared = try makeScratchDirectory("dev")
        bundle.addBindMount(source: shared, destination: "/tmp", extraOptions: [])
        let id = makeID("devupd")
        _ = try startContainer(id, ["sh", "-c", """
            while [ ! -e /tmp/go ]; do sleep 1; done
            { cat /testdev; echo x > /dev/null && echo null; } > /tmp/out.tmp 2>&1; mv /tmp/out.tmp /tmp/out
            sleep 30
            """])
        let dir = try XCTUnwrap(try cgroupPaths(id)[""], "no cgroup v2 directory")
        XCTAssertEqual(try CgroupDeviceFilter.attachedCount(dir), isUnifiedHost ? 1 : 0)
        for limit in ["50", "60"] {
            let update = hull("update", "--pids-limit", limit, id)
            XCTAssertEqual(update.status, 0, update.stderr)
        }
        XCTAssertEqual(try CgroupDeviceFilter.attachedCount(dir), isUnifiedHost ? 1 : 0, "the new program replaced the old one")

        XCTAssertTrue(FileManager.default.createFile(atPath: shared + "/go", contents: nil))
        waitFor("the container's checks", timeout: 15) { FileManager.default.fileExists(atPath: shared + "/out") }
        let out = try String(contentsOfFile: shared + "/out", encoding: .utf8)
        XCTAssertTrue(out.contains("Operation not permitted"), "/testdev stays denied: \(out)")
        XCTAssertTrue(out.hasSuffix("null\n"), "/dev/null stays allowed: \(out)")
        deleteAndCheck(id)
    }
}
