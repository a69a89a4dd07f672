/// Whether this host has the controllers `linux.resources` needs: the same test for `create`
/// (CgroupManager+Resources) and `hull check`.
extension CgroupManager {
    /// The cgroups hull itself is in, where a container's cgroup goes by default.
    static func forCaller(_ hierarchies: CgroupHierarchies) -> CgroupManager {
        var paths: [String: String] = [:]
        for (key, mountPoint) in hierarchies.mountPoints {
            paths[key] = Path.clean(mountPoint + "/" + (hierarchies.ownCgroups[key] ?? "/"))
        }
        return CgroupManager(paths: paths)
    }

    /// One problem per resource whose controller this host lacks.
    func unavailableControllers(_ resources: LinuxResources, devices: [LinuxDevice]) throws -> [CheckProblem] {
        let probe = fileProbe()
        let writes = isUnified
            ? try CgroupV2Plan(probe: probe).writes(resources)
            : try CgroupV1Plan(probe: probe).writes(resources, devices: devices, includeDevices: true)
        var reported: Set<String> = []
        return writes.compactMap { write in
            guard let missing = unavailableController(of: write), reported.insert(write.field).inserted else { return nil }
            return CheckProblem(.error, field: write.field, Self.unavailable(missing))
        }
    }

    /// The controller `write` needs when this host does not offer it: a v1 hierarchy that is
    /// not mounted, or a v2 controller missing from cgroup.controllers.
    func unavailableController(of write: CgroupWrite) -> String? {
        guard let dir = directory(for: write.controller) else { return write.controller }
        guard write.controller.isEmpty || isUnified else { return nil }
        let controller = write.file.split(separator: ".").first.map(String.init) ?? write.file
        guard controller != "cgroup", !CgroupV2Controllers.words(dir + "/cgroup.controllers").contains(controller) else {
            return nil
        }
        return controller
    }

    static func unavailable(_ controller: String) -> String {
        "cgroup controller \"\(controller)\" is not available on this host"
    }
}
