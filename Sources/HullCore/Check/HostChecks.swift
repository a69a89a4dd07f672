#if canImport(Glibc)
import Glibc
#endif

/// The checks of a valid config.json against this host that `create` runs before it makes
/// anything (so that it fails with a line naming the field, not with a failed system call),
/// and that `hull check` reports. Each returns the problems it finds.
enum HostChecks {
    /// The checks `create` requires to pass: the caller, the namespaces, the mount sources.
    static func requireUsable(_ spec: Spec, bundle: String) throws {
        if let first = (caller() + namespaces(spec) + mountSources(spec, bundle: bundle)).first {
            // A problem of the whole file (the caller) is named once: "config.json: ...".
            let place = first.field == "config.json" ? "config.json" : "config.json: \(first.field)"
            throw HullError("\(place): \(first.message)")
        }
    }

    /// hull runs as root: rootless containers are not supported yet.
    static func caller() -> [CheckProblem] {
        guard geteuid() != 0 else { return [] }
        return [CheckProblem(.error, field: "config.json", "hull must run as root (rootless containers are not supported yet)")]
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
