#if canImport(Glibc)
import Glibc
#endif
import CHullShim

/// `process.execCPUAffinity` of an exec'd process (config.md): `initial` is the affinity it has
/// before it joins the container's cgroup, `final` the one after. hull sets both from the
/// parent while the process waits for GO, so it never runs user code on other CPUs.
extension CPUAffinity {
    func applyInitial(to pid: Int32) throws {
        if let initial { try Self.setAffinity(initial, of: pid, field: "initial") }
    }

    func applyFinal(to pid: Int32) throws {
        if let final { try Self.setAffinity(final, of: pid, field: "final") }
    }

    private static func setAffinity(_ list: String, of pid: Int32, field: String) throws {
        let name = "process.execCPUAffinity.\(field)"
        guard let ranges = CPUList.parse(list) else { throw HullError("\(name): invalid CPU list \"\(list)\"") }
        var mask = [UInt64](repeating: 0, count: CPUList.maximumID / 64)
        for cpu in ranges.joined() { mask[cpu / 64] |= 1 << UInt64(cpu % 64) }
        let rc = hull_set_affinity(pid, mask, mask.count * 8)
        guard rc == 0 else { throw HullError("\(name): set CPU affinity \(list): \(Errno.describe(errno))") }
    }
}
