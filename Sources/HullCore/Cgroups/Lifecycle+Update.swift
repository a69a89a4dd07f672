#if canImport(Glibc)
import Glibc
#endif

extension Lifecycle {
    /// `hull update`: merges `changes` over the container's resources, writes them to its
    /// cgroup, and saves them in ROOT/ID/config.json (so `events --stats`, a later update and
    /// delete see them).
    public func update(id: String, changes: LinuxResources) throws {
        try store.withLock(id: id) { _ in
            let record = try store.load(id: id)
            guard store.status(of: record) != .stopped else { throw HullError("container not running") }
            let configPath = store.directory(id: id) + "/config.json"
            let spec = try savedSpec(id: id)
            let merged = ResourceUpdate.merge(changes, into: spec.linux?.resources)
            do {
                try merged.validate()
            } catch let error as HullError {
                throw HullError("update: " + error.message.dropPrefix(SpecDecodingError.prefix))
            }
            var cgroup = try CgroupManager(of: record, for: "update")
            cgroup.devices = spec.linux?.devices ?? []
            if changes.memory?.checkBeforeUpdate == true, let limit = changes.memory?.limit, limit > 0 {
                try cgroup.checkUsage(below: limit)
            }
            if let unit = record.systemdUnit { try SystemdScope.update(unit: unit, resources: merged) }
            try cgroup.apply(ResourceUpdate.writable(merged, changes: changes), includeDevices: false, errorPrefix: "update: ")
            // As runc, an update loads the (unchanged) device rules again on v2: the new program
            // replaces the old one, which is detached after the new one is attached (not for an
            // unprivileged caller, whose container has no device program).
            if cgroup.isUnified && cgroup.enforcesDevices {
                try cgroup.applyDeviceFilter(merged.devices, errorPrefix: "update: ")
            }
            try Self.saveResources(merged, inConfig: configPath)
        }
    }

    /// Rewrites `linux.resources` of the saved config.json, keeping everything else as it was.
    static func saveResources(_ resources: LinuxResources, inConfig path: String) throws {
        let document: JSONValue
        do {
            document = try JSONParser.parse(FileIO.read(path))
        } catch let error as JSONSyntaxError {
            throw HullError("\(path): \(error.description)")
        }
        let encoded = try JSONValueEncoder.encode(resources)
        let updated = document.setting(["linux", "resources"], to: encoded)
        try FileIO.writeAtomically(Array(JSONWriter.write(updated).utf8), to: path, mode: 0o600)
    }
}

extension CgroupManager {
    /// memory.checkBeforeUpdate: refuse a limit below what the container already uses.
    func checkUsage(below limit: Int64) throws {
        let file = isUnified ? "memory.current" : "memory.usage_in_bytes"
        guard let text = fileProbe().read(isUnified ? "" : "memory", file),
              let usage = Int64(text.trimmingWhitespace) else { return }
        if usage > limit {
            throw HullError("update: linux.resources.memory.limit: \(limit) is below the current usage \(usage)")
        }
    }
}

extension JSONValue {
    /// A copy with the member at `path` (object keys) set to `value`, making objects on the way.
    func setting(_ path: [String], to value: JSONValue) -> JSONValue {
        guard let key = path.first else { return value }
        var members: [JSONMember]
        if case .object(let existing) = self { members = existing } else { members = [] }
        let rest = Array(path.dropFirst())
        if let index = members.lastIndex(where: { $0.key == key }) {
            members[index].value = members[index].value.setting(rest, to: value)
        } else {
            members.append(JSONMember(key: key, value: JSONValue.object([]).setting(rest, to: value)))
        }
        return .object(members)
    }
}
