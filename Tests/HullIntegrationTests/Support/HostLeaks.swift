import Foundation
import Glibc
import XCTest

// Assertions a test makes after each container is gone, proving the runtime left nothing behind on
// the host: no state directory, no cgroup, no mount, no process. Each assertion has a query
// (`HostLeaks.*`) that returns what it found, for tests that want to see a thing exist first.
//
//     let (status, _, _) = runner.run(["--root", root.path, "run", "--bundle", bundle.path, id])
//     assertNoLeaks(root: root.path, id: id, bundle: bundle.path)

/// Fails if the state directory `root/id` still exists.
func assertNoStateDir(root: String, id: String, file: StaticString = #filePath, line: UInt = #line) {
    let stateDir = root + "/" + id
    XCTAssertFalse(FileManager.default.fileExists(atPath: stateDir),
                   "state directory left behind: \(stateDir)", file: file, line: line)
}

/// Fails if any cgroup directory (v1 hierarchies and the unified one) has a name containing `named`.
func assertNoCgroup(named: String, file: StaticString = #filePath, line: UInt = #line) {
    let found = HostLeaks.cgroups(containing: named)
    XCTAssertTrue(found.isEmpty, "cgroup left behind: \(found.joined(separator: ", "))", file: file, line: line)
}

/// Fails if anything is mounted at `path` or below it in the test's mount namespace.
func assertNoMounts(under path: String, file: StaticString = #filePath, line: UInt = #line) {
    let found = MountTable.mountPoints(under: path)
    XCTAssertTrue(found.isEmpty, "mount left behind: \(found.joined(separator: ", "))", file: file, line: line)
}

/// Fails if a process whose command line contains `text` still runs after `timeout` seconds
/// (a killed process may take a moment to die; the check passes as soon as none is left).
func assertNoProcess(
    withArgsContaining text: String, timeout: TimeInterval = 2, file: StaticString = #filePath, line: UInt = #line
) {
    let deadline = Date().addingTimeInterval(timeout)
    var found = HostLeaks.processes(withArgsContaining: text)
    while !found.isEmpty && Date() < deadline {
        usleep(20_000)
        found = HostLeaks.processes(withArgsContaining: text)
    }
    let described = found.map { "\($0.pid) (\($0.commandLine))" }.joined(separator: ", ")
    XCTAssertTrue(found.isEmpty, "process left behind: \(described)", file: file, line: line)
}

/// All four checks for container `id` run from `bundle` with state under `root`.
func assertNoLeaks(root: String, id: String, bundle: String, file: StaticString = #filePath, line: UInt = #line) {
    assertNoStateDir(root: root, id: id, file: file, line: line)
    assertNoCgroup(named: id, file: file, line: line)
    assertNoMounts(under: bundle, file: file, line: line)
    assertNoProcess(withArgsContaining: id, file: file, line: line)
}

/// The queries behind the assertions.
enum HostLeaks {
    /// Where cgroup file systems are mounted: a v1 hierarchy per controller plus `unified` on a
    /// hybrid host, or the single v2 hierarchy at the top on a pure v2 host.
    static let cgroupMount = "/sys/fs/cgroup"
    /// How deep below `cgroupMount` the walk looks: engines nest a few levels, never this many.
    static let cgroupWalkDepth = 10
    /// Stop after this many directories, so a huge host tree cannot stall a test.
    static let cgroupWalkLimit = 50_000

    /// Paths of cgroup directories whose own name contains `text`.
    static func cgroups(containing text: String) -> [String] {
        var found: [String] = []
        var visited = 0
        walkDirectories(cgroupMount, depth: 0, visited: &visited) { path, name in
            if name.contains(text) { found.append(path) }
        }
        return found
    }

    /// Processes (other than this one) whose NUL-separated command line, joined with spaces,
    /// contains `text`. Zombies have an empty command line and so never match.
    static func processes(withArgsContaining text: String) -> [(pid: Int32, commandLine: String)] {
        let own = getpid()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> (pid: Int32, commandLine: String)? in
            guard let pid = Int32(entry), pid != own,
                  let raw = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"), !raw.isEmpty else {
                return nil
            }
            let arguments = raw.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            let commandLine = arguments.joined(separator: " ")
            return commandLine.contains(text) ? (pid, commandLine) : nil
        }
    }

    /// Depth-first walk of real directories (symlinks are not followed), calling `visit` on each
    /// directory below `path` with its full path and its name.
    private static func walkDirectories(
        _ path: String, depth: Int, visited: inout Int, _ visit: (String, String) -> Void
    ) {
        guard depth < cgroupWalkDepth, let directory = opendir(path) else { return }
        defer { closedir(directory) }
        while visited < cgroupWalkLimit, let entry = readdir(directory) {
            guard isDirectory(entry, in: path) else { continue }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            visited += 1
            let child = path + "/" + name
            visit(child, name)
            walkDirectories(child, depth: depth + 1, visited: &visited, visit)
        }
    }

    /// Whether a directory entry is a directory (not a symlink to one), asking lstat when the file
    /// system does not fill in d_type.
    private static func isDirectory(_ entry: UnsafeMutablePointer<dirent>, in parent: String) -> Bool {
        let type = entry.pointee.d_type
        if type != UInt8(DT_UNKNOWN) { return type == UInt8(DT_DIR) }
        let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
        var info = stat()
        return lstat(parent + "/" + name, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
