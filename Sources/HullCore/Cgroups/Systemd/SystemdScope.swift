/// The systemd cgroup driver (`--systemd-cgroup`): the container's cgroup is a transient unit
/// that systemd creates, `prefix-name.scope` in its slice (SystemdUnitName), with the init as
/// its process and `Delegate=yes`, so the cgroup below the unit is hull's to write. Resources go
/// to systemd as unit properties (those it has: SystemdResources, SystemdDevices, plus the
/// `org.systemd.property.*` annotations) and then, all of them, to the cgroup files through the
/// cgroupfs manager, as runc does; freezing, signalling, statistics and `ps` then work on the
/// scope's directory exactly as with the cgroupfs driver.
struct SystemdScope: Sendable {
    let name: SystemdUnitName
    /// The properties of the unit at creation (without PIDs).
    let properties: [SystemdProperty]

    /// Plans the unit of a container; refuses a host without systemd or without cgroup v2, and a
    /// malformed cgroupsPath, before anything is created.
    init(spec: Spec, id: String, hierarchies: CgroupHierarchies) throws {
        try SystemdBus.requireRunning()
        guard hierarchies.mode == .unified else {
            throw HullError("--systemd-cgroup: this host's cgroups are \(hierarchies.mode.rawValue); hull's systemd driver needs a cgroup v2 (unified) host")
        }
        name = try SystemdUnitName(cgroupsPath: spec.linux?.cgroupsPath, id: id)
        let resources = spec.linux?.resources
        var properties: [SystemdProperty] = [SystemdProperty("Description", .string("hull container \(name.name)"))]
        if name.isSlice {
            properties.append(SystemdProperty("Wants", .strings([name.slice])))
        } else {
            properties += [SystemdProperty("Slice", .string(name.slice)), SystemdProperty("Delegate", .bool(true))]
        }
        // Accounting on for every controller, as runc: the same statistics as with cgroupfs.
        properties += ["MemoryAccounting", "CPUAccounting", "IOAccounting", "TasksAccounting"].map { SystemdProperty($0, .bool(true)) }
        properties.append(SystemdProperty("DefaultDependencies", .bool(false)))
        do {
            properties += try SystemdResources.properties(resources)
        } catch let error as HullError {
            throw HullError("config.json: " + error.message.dropPrefix("config.json: "))
        }
        let rules = CgroupDeviceRules.rules(resources: resources?.devices ?? [], devices: spec.linux?.devices ?? [])
        properties += SystemdDevices.properties(rules) ?? []
        properties += try SystemdAnnotations.properties(spec.annotations)
        self.properties = properties
    }

    /// The unit's cgroup directory in every hierarchy (the one cgroup2 mount).
    func paths(hierarchies: CgroupHierarchies) -> [String: String] {
        hierarchies.mountPoints.mapValues { Path.clean($0 + "/" + name.cgroup) }
    }

    /// Asks systemd for the unit with `pid` in it and waits until it runs.
    func start(pid: Int32) throws {
        try SystemdBus.startTransientUnit(name.unit, properties: properties + [SystemdProperty("PIDs", .uint32Array([UInt32(pid)]))])
    }

    /// Stops the unit (delete, or a failed create): nothing of it stays in systemd.
    static func stop(unit: String) throws {
        try SystemdBus.stopUnit(unit)
    }

    /// `hull update`: the merged resources as unit properties (without the device rules, which
    /// update does not change), before they are written to the cgroup files.
    static func update(unit: String, resources: LinuxResources) throws {
        let properties: [SystemdProperty]
        do {
            properties = try SystemdResources.properties(resources)
        } catch let error as HullError {
            throw HullError("update: " + error.message)
        }
        guard !properties.isEmpty else { return }
        try SystemdBus.setUnitProperties(unit, properties: properties)
    }
}
