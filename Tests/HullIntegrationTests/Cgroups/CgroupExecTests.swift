import Foundation
import Glibc
import XCTest

/// `hull exec` places the new process in the container's cgroup (or an existing sub-cgroup of
/// it), on the hybrid host and in the cgroup v2 guest alike.
final class CgroupExecTests: CgroupTestCase {
    private func pidFileValue(_ path: String) throws -> Int32 {
        try XCTUnwrap(Int32(String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    func testExecdProcessIsInTheContainersCgroupAndInPs() throws {
        let id = makeID("cg-exec")
        let initPid = try startContainer(id, ["sleep", "100"])
        let pidFile = try makeScratchDirectory("exec") + "/pid"
        let exec = hull("exec", "-d", "--pid-file", pidFile, id, "sleep", "100")
        XCTAssertEqual(exec.status, 0, exec.stderr)
        let pid = try pidFileValue(pidFile)
        for (_, dir) in try cgroupPaths(id) {
            let procs = try String(contentsOfFile: dir + "/cgroup.procs", encoding: .utf8).split(separator: "\n")
            XCTAssertTrue(procs.contains(Substring(String(pid))), "\(pid) in \(dir)")
            XCTAssertTrue(procs.contains(Substring(String(initPid))), "the init \(initPid) in \(dir)")
        }
        let ps = hull("ps", "--format", "json", id)
        XCTAssertEqual(ps.status, 0, ps.stderr)
        XCTAssertTrue(ps.stdout.contains(String(pid)), ps.stdout)
        deleteAndCheck(id)
        XCTAssertFalse(ProcFS.isAlive(pid), "delete --force kills the exec'd process too")
    }

    func testExecIntoAnExistingSubCgroup() throws {
        let id = makeID("cg-sub")
        _ = try startContainer(id, ["sleep", "100"])
        let paths = try cgroupPaths(id)
        for dir in paths.values {
            XCTAssertEqual(mkdir(dir + "/sub", 0o755), 0, dir)
            // A v1 cpuset group starts with no CPUs and memory nodes: give it its parent's.
            for file in ["cpuset.cpus", "cpuset.mems"] where FileManager.default.fileExists(atPath: dir + "/sub/" + file) {
                try String(contentsOfFile: dir + "/" + file, encoding: .utf8).write(toFile: dir + "/sub/" + file, atomically: false, encoding: .utf8)
            }
        }
        let pidFile = try makeScratchDirectory("exec") + "/pid"
        let exec = hull("exec", "-d", "--cgroup", "sub", "--pid-file", pidFile, id, "sleep", "100")
        XCTAssertEqual(exec.status, 0, exec.stderr)
        let pid = try pidFileValue(pidFile)
        for dir in paths.values {
            let procs = try String(contentsOfFile: dir + "/sub/cgroup.procs", encoding: .utf8)
            XCTAssertTrue(procs.split(separator: "\n").contains(Substring(String(pid))), "\(pid) in \(dir)/sub")
        }
        let missing = hull("exec", "--cgroup", "nosuch", id, "true")
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.hasPrefix("--cgroup: sub-cgroup "), missing.stderr)
        kill(pid, SIGKILL)
        _ = waitFor("the exec'd process to exit") { !ProcFS.isAlive(pid) }
        for dir in paths.values { _ = rmdir(dir + "/sub") }
        deleteAndCheck(id)
    }
}
