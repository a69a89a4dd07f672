#if canImport(Glibc)
import Glibc
#endif

extension Lifecycle {
    /// `hull kill`: sends `signal` to the init process, or with `all` to every process of the
    /// container's cgroup.
    public func kill(id: String, signal: Int32, all: Bool) throws {
        let record = try store.load(id: id)
        let status = store.status(of: record)
        let handle = ProcessHandle(pid: record.pid, startTime: record.pidStartTime)
        if all {
            // As runc: --all also reaches a stopped container's leftover processes.
            if !record.cgroupPaths.isEmpty {
                CgroupManager(paths: record.cgroupPaths).signalAll(signal)
                return
            }
            // A rootless container without a cgroup: its processes are those of its pid
            // namespace, which end with its init.
        }
        guard status != .stopped, try handle.signal(signal) else {
            throw HullError("container not running")
        }
    }
}
