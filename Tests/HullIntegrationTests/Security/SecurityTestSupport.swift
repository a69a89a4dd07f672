import Foundation
import Glibc
import XCTest

/// Helpers of the security tests: a container's process looked at from outside once it runs
/// the user's program, and config.json edits for `process` and `linux.seccomp`.
extension LifecycleTestCase {
    /// Creates and starts the bundle with `sleep 30`, waits until sleep runs, returns the
    /// /proc/PID/status lines `names` of that process (read from the host), then deletes it.
    func statusOfRunningContainer(_ names: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [String: String] {
        bundle.setArgs(["sleep", "30"])
        let id = makeID("status")
        let pid = try createContainer(id, file: file, line: line)
        XCTAssertEqual(hull("start", id).status, 0, file: file, line: line)
        waitFor("sleep to run", file: file, line: line) { ProcFS.commandLine(pid) == ["sleep", "30"] }
        var fields: [String: String] = [:]
        for name in names { fields[name] = ProcFS.statusField(pid: pid, name) }
        XCTAssertEqual(hull("delete", "--force", id).status, 0, file: file, line: line)
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path, file: file, line: line)
        return fields
    }

    /// The five capability lines of a running container's process, as numbers.
    func capabilitiesOfRunningContainer(file: StaticString = #filePath, line: UInt = #line) throws -> [String: UInt64] {
        let names = ["CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"]
        let fields = try statusOfRunningContainer(names, file: file, line: line)
        return fields.compactMapValues { UInt64($0, radix: 16) }
    }

    /// Sets `process.KEY`.
    func setProcessField(_ key: String, _ value: Any?) {
        bundle.config { config in
            var process = config["process"] as? [String: Any] ?? [:]
            process[key] = value
            config["process"] = process
        }
    }

    /// Sets `process.capabilities` (the same names in the given sets).
    func setCapabilities(_ sets: [String: [String]]) {
        setProcessField("capabilities", sets)
    }

    /// Sets `linux.seccomp`.
    func setSeccomp(_ seccomp: [String: Any]?) {
        bundle.editLinux { $0["seccomp"] = seccomp }
    }
}

/// Bit masks of capability numbers, as /proc/PID/status prints them.
func capMask(_ numbers: Int...) -> UInt64 {
    numbers.reduce(UInt64(0)) { $0 | (UInt64(1) << UInt64($1)) }
}
