#if canImport(Glibc)
import Glibc
#endif

/// The uid_map and gid_map of a new user namespace, written by the parent while the init waits.
///
/// root writes any mapping itself. An unprivileged caller may write only a map of its own
/// euid (egid) to one id, and a gid map only after it has denied setgroups(2) in the namespace;
/// any other mapping goes through the setuid helpers newuidmap and newgidmap (package uidmap),
/// which allow the ranges /etc/subuid and /etc/subgid grant the caller. As runc.
struct IDMaps {
    let uids: [LinuxIDMapping]
    let gids: [LinuxIDMapping]

    init(_ spec: Spec) {
        uids = spec.linux?.uidMappings ?? []
        gids = spec.linux?.gidMappings ?? []
    }

    /// Whether the caller writes the gid map itself without privilege, so that setgroups(2) is
    /// denied in the container (and process.user.additionalGids cannot be set).
    var deniesSetgroups: Bool {
        Rootless.callerIsUnprivileged && Self.isOwnID(gids, getegid())
    }

    func write(pid: Int32) throws {
        try write(uids, kind: .uid, pid: pid)
        try write(gids, kind: .gid, pid: pid)
    }

    private enum Kind: String {
        case uid, gid
        var field: String { "linux.\(rawValue)Mappings" }
        var tool: String { "new\(rawValue)map" }
    }

    private func write(_ mappings: [LinuxIDMapping], kind: Kind, pid: Int32) throws {
        guard !mappings.isEmpty else { throw HullError("config.json: \(kind.field): a new user namespace needs mappings") }
        let own = kind == .uid ? geteuid() : getegid()
        do {
            if Rootless.callerIsUnprivileged && !Self.isOwnID(mappings, own) {
                try runTool(kind, mappings, pid: pid)
                return
            }
            if kind == .gid && deniesSetgroups { try FileIO.write("deny", to: "/proc/\(pid)/setgroups") }
            try FileIO.write(mappings.map { "\($0.containerID) \($0.hostID) \($0.size)\n" }.joined(),
                             to: "/proc/\(pid)/\(kind.rawValue)_map")
        } catch let error as HullError {
            throw HullError("config.json: \(kind.field): \(error.message)")
        }
    }

    /// One mapping of one id, the caller's own: what an unprivileged process may write itself.
    private static func isOwnID(_ mappings: [LinuxIDMapping], _ id: UInt32) -> Bool {
        mappings.count == 1 && mappings[0].hostID == id && mappings[0].size == 1
    }

    private func runTool(_ kind: Kind, _ mappings: [LinuxIDMapping], pid: Int32) throws {
        let arguments = ["\(pid)"] + mappings.flatMap { ["\($0.containerID)", "\($0.hostID)", "\($0.size)"] }
        let result: HostTool.Result
        do {
            result = try HostTool.run(kind.tool, arguments)
        } catch let error as HullError {
            throw HullError("mapping ids other than the caller's own needs \(kind.tool) (package uidmap): \(error.message)")
        }
        guard result.status == 0 else { throw HullError(result.firstLine.isEmpty ? "\(kind.tool) failed" : result.firstLine) }
    }
}
