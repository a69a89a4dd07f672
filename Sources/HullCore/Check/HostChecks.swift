#if canImport(Glibc)
import Glibc
#endif

/// The checks of a valid config.json against this host that `create` runs before it makes
/// anything (so that it fails with a line naming the field, not with a failed system call),
/// and that `hull check` reports. Each returns the problems it finds.
enum HostChecks {
    /// The checks `create` requires to pass: the caller, the namespaces, the mount sources.
    static func requireUsable(_ spec: Spec, bundle: String) throws {
        if let first = (rootless(spec) + namespaces(spec) + mountSources(spec, bundle: bundle)).first {
            // A problem of the whole file (the caller) is named once: "config.json: ...".
            let place = first.field == "config.json" ? "config.json" : "config.json: \(first.field)"
            throw HullError("\(place): \(first.message)")
        }
    }

    /// What a container needs when hull runs unprivileged (runc's rootless validation): its own
    /// user namespace with mappings, uid=/gid= mount options naming mapped ids, and no sysfs
    /// mount without its own network namespace (the kernel refuses it: /sys is bound instead,
    /// as in `hull spec --rootless`).
    static func rootless(_ spec: Spec) -> [CheckProblem] {
        guard Rootless.callerIsUnprivileged else { return [] }
        let linux = spec.linux
        let namespaces = linux?.namespaces ?? []
        guard namespaces.contains(where: { $0.type == .user && ($0.path ?? "").isEmpty }) else {
            return [CheckProblem(.error, field: "linux.namespaces", "a rootless container needs a new user namespace (hull runs as uid \(geteuid()))")]
        }
        var problems: [CheckProblem] = []
        let uids = linux?.uidMappings ?? [], gids = linux?.gidMappings ?? []
        if uids.isEmpty { problems.append(CheckProblem(.error, field: "linux.uidMappings", "a rootless container needs at least one mapping")) }
        if gids.isEmpty { problems.append(CheckProblem(.error, field: "linux.gidMappings", "a rootless container needs at least one mapping")) }
        let ownsNetwork = namespaces.contains { $0.type == .network && ($0.path ?? "").isEmpty }
        for (index, mount) in (spec.mounts ?? []).enumerated() {
            if mount.type == "sysfs" && !ownsNetwork {
                problems.append(CheckProblem(.error, field: "mounts[\(index)].type", "sysfs cannot be mounted in a rootless container without its own network namespace (bind-mount /sys instead, as `hull spec --rootless` does)"))
            }
            for option in mount.options ?? [] {
                for (prefix, mappings) in [("uid=", uids), ("gid=", gids)] where option.hasPrefix(prefix) {
                    guard let id = UInt32(option.dropFirst(prefix.count)), !mappings.contains(where: { $0.mapsContainerID(id) }) else { continue }
                    problems.append(CheckProblem(.error, field: "mounts[\(index)].options", "\(option): the id is not mapped in the container's user namespace"))
                }
            }
        }
        return problems
    }

    /// A namespace to create needs the kernel's support (its file in `kernelNamespaces`); one to
    /// join must exist.
    static func namespaces(_ spec: Spec, kernelNamespaces: String = "/proc/self/ns") -> [CheckProblem] {
        (spec.linux?.namespaces ?? []).enumerated().compactMap { index, namespace in
            let field = "linux.namespaces[\(index)]"
            if let path = namespace.path, !path.isEmpty {
                return FileIO.exists(path) ? nil : CheckProblem(.error, field: field + ".path", "\(path) does not exist")
            }
            guard let name = NamespaceKind.procNames[namespace.type.rawValue] else { return nil }
            return FileIO.exists("\(kernelNamespaces)/\(name)") ? nil
                : CheckProblem(.error, field: field + ".type", "the kernel has no \(namespace.type.rawValue) namespace")
        }
    }

    /// A bind mount's source must exist (relative sources are relative to the bundle).
    static func mountSources(_ spec: Spec, bundle: String) -> [CheckProblem] {
        (spec.mounts ?? []).enumerated().compactMap { index, mount in
            let options = mount.options ?? []
            guard mount.type == "bind" || options.contains("bind") || options.contains("rbind"),
                  let source = mount.source, !source.isEmpty else { return nil }
            let path = Path.absolute(source, relativeTo: bundle)
            return FileIO.exists(path) ? nil : CheckProblem(.error, field: "mounts[\(index)].source", "\(path) does not exist")
        }
    }
}
