#if canImport(Glibc)
import Glibc
#endif

extension Lifecycle {
    /// `hull ps`: the host pids in the container's cgroup, in the kernel's order.
    public func processes(id: String) throws -> [Int32] {
        let record = try store.load(id: id)
        return try CgroupManager(of: record, for: "ps").processes()
    }

    /// `hull events --stats`: one stats event as runc prints it (compact JSON and a newline).
    public func statsEvent(id: String) throws -> String {
        let record = try store.load(id: id)
        guard store.status(of: record) != .stopped else {
            throw HullError("container with id \(id) is not running")
        }
        return JSONWriter.compact(CgroupStats(cgroup: try CgroupManager(of: record, for: "events")).event(id: id)) + "\n"
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
        let result = try HostTool.run("ps", arguments)
        guard result.status == 0 else {
            throw HullError("ps: exit status \(result.status): \(result.firstLine)")
        }
        return result.output
    }
}
