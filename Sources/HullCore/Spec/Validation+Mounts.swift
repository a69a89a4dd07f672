/// The rules of `mounts` and `hooks`.
extension Spec {
    func validateMounts(_ namespaces: NamespaceIndex) throws {
        for (index, mount) in (mounts ?? []).enumerated() {
            try mount.validate(at: "mounts[\(index)]", namespaces: namespaces)
        }
    }
}

extension Mount {
    /// runc accepts a relative destination (relative to "/") with a deprecation warning; the
    /// spec requires absolute ones on Linux since 1.1, and so does hull.
    func validate(at field: String, namespaces: NamespaceIndex) throws {
        try requireAbsolute(destination, at: field + ".destination")
        if let source { try requireNoNUL(source, at: field + ".source") }
        if let type { try requireNoNUL(type, at: field + ".type") }
        try validateIDMapping(at: field, namespaces: namespaces)
        try validateBindOptions(at: field)
    }

    var isBind: Bool { options?.contains { MountOptions.bind.contains($0) } ?? false }

    private var asksForIDMap: Bool { options?.contains { MountOptions.idmap.contains($0) } ?? false }

    private func validateIDMapping(at field: String, namespaces: NamespaceIndex) throws {
        try LinuxIDMapping.validate(uidMappings, at: field + ".uidMappings")
        try LinuxIDMapping.validate(gidMappings, at: field + ".gidMappings")
        let hasMappings = !(uidMappings ?? []).isEmpty || !(gidMappings ?? []).isEmpty
        if hasMappings, (uidMappings ?? []).isEmpty || (gidMappings ?? []).isEmpty {
            throw invalid(field, "uidMappings and gidMappings must be given together")
        }
        guard hasMappings || asksForIDMap else { return }
        if !isBind {
            throw invalid(field, "ID-mapped mounts are only supported for bind mounts (add \"bind\" or \"rbind\" to options)")
        }
        // Without mappings of its own, the mount takes the container's user namespace mapping.
        if !hasMappings, !namespaces.has(.user) {
            throw invalid(field + ".options", "idmap without uidMappings and gidMappings \(namespaces.missing(.user))")
        }
    }

    /// The kernel ignores filesystem data on a bind mount, so runc refuses it rather than
    /// silently dropping it.
    private func validateBindOptions(at field: String) throws {
        guard isBind else { return }
        let data = (options ?? []).filter(MountOptions.isFilesystemData)
        if !data.isEmpty {
            throw invalid(field + ".options", "bind mounts cannot take filesystem-specific options (\(data.map(quoted).joined(separator: ", ")))")
        }
    }
}

extension Hooks {
    func validate() throws {
        for (name, hooks) in all {
            for (index, hook) in hooks.enumerated() {
                try hook.validate(at: "hooks.\(name)[\(index)]")
            }
        }
    }
}

extension Hook {
    func validate(at field: String) throws {
        try requireAbsolute(path, at: field + ".path")
        if let timeout, timeout <= 0 {
            throw invalid(field + ".timeout", "must be greater than zero, got \(timeout)")
        }
    }
}
