#if canImport(Glibc)
import Glibc
#endif

extension Lifecycle {
    /// `hull events` without `--stats`: a stats event at once and every `intervalMicros`, and an
    /// `{"type":"oom","id":ID}` event as soon as (within 50 ms) the kernel's OOM killer kills a
    /// process of the container. Returns when the container stops.
    public func streamEvents(id: String, intervalMicros: Int64, write: (String) -> Void) throws {
        let record = try store.load(id: id)
        let cgroup = CgroupManager(paths: record.cgroupPaths)
        write(try statsEvent(id: id))
        var oomKills = cgroup.oomKillCount()
        var sinceStats: Int64 = 0
        let tick: Int64 = 50_000
        while store.status(of: record) != .stopped {
            usleep(UInt32(min(tick, intervalMicros)))
            sinceStats += min(tick, intervalMicros)
            let kills = cgroup.oomKillCount()
            if kills > oomKills {
                write(JSONWriter.compact(.ordered([("type", .string("oom")), ("id", .string(id))])) + "\n")
                oomKills = kills
            }
            if sinceStats >= intervalMicros {
                sinceStats = 0
                guard let event = try? statsEvent(id: id) else { return }
                write(event)
            }
        }
    }
}

extension CgroupManager {
    /// How many processes the OOM killer has killed in the group (v1 memory.oom_control,
    /// v2 memory.events `oom_kill`).
    func oomKillCount() -> UInt64 {
        let file = isUnified ? "memory.events" : "memory.oom_control"
        let text = fileProbe().read(isUnified ? "" : "memory", file) ?? ""
        for line in text.split(separator: "\n") where line.hasPrefix("oom_kill ") {
            return UInt64(line.dropFirst("oom_kill ".count)) ?? 0
        }
        return 0
    }
}
