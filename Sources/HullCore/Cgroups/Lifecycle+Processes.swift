#if canImport(Glibc)
import Glibc
#endif

extension Lifecycle {
    /// `hull ps`: the host pids in the container's cgroup, in the kernel's order.
    public func processes(id: String) throws -> [Int32] {
        let record = try store.load(id: id)
        return CgroupManager(paths: record.cgroupPaths).processes()
    }

    /// `hull events --stats`: one stats event as runc prints it (compact JSON and a newline).
    public func statsEvent(id: String) throws -> String {
        let record = try store.load(id: id)
        guard store.status(of: record) != .stopped else {
            throw HullError("container with id \(id) is not running")
        }
        return JSONWriter.compact(CgroupStats(cgroup: CgroupManager(paths: record.cgroupPaths)).event(id: id)) + "\n"
    }
}

/// `hull ps --format table`: the output of the host's `ps` (default `ps -ef`) cut down to the
/// header and the lines of the container's processes, as runc does.
public enum ProcessTable {
    public static func render(pids: [Int32], psArguments: [String]) throws -> String {
        let output = try runPs(psArguments.isEmpty ? ["-ef"] : psArguments)
        return try filter(output, pids: pids)
    }

    /// The header, then every line whose PID column is one of `pids`.
    public static func filter(_ output: String, pids: [Int32]) throws -> String {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        guard let header = lines.first, let pidColumn = header.split(separator: " ").firstIndex(of: "PID") else {
            throw HullError("ps: no PID column in the output of ps")
        }
        let wanted = Set(pids)
        var result = String(header) + "\n"
        for line in lines.dropFirst() where !line.isEmpty {
            let fields = line.split(separator: " ")
            if pidColumn < fields.count, let pid = Int32(fields[pidColumn]), wanted.contains(pid) {
                result += line + "\n"
            }
        }
        return result
    }

    /// Runs `ps ARGS` from PATH and returns what it wrote to stdout and stderr.
    private static func runPs(_ arguments: [String]) throws -> String {
        var pipeFds: [Int32] = [0, 0]
        guard pipe(&pipeFds) == 0 else { throw HullError("ps: pipe: \(Errno.describe(errno))") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipeFds[1], 1)
        posix_spawn_file_actions_adddup2(&actions, pipeFds[1], 2)
        let argv: [UnsafeMutablePointer<CChar>?] = (["ps"] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, "ps", &actions, nil, argv, environ)
        close(pipeFds[1])
        // (hull is single-threaded: no other spawn can inherit the pipe meanwhile.)
        defer { close(pipeFds[0]) }
        guard rc == 0 else { throw HullError("ps: \(Errno.describe(rc))") }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(pipeFds[0], $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += buffer[0..<count]
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let text = String(decoding: bytes, as: UTF8.self)
        guard status == 0 else {
            throw HullError("ps: exit status \((status >> 8) & 0xff): \(text.split(separator: "\n").first.map(String.init) ?? "")")
        }
        return text
    }
}
