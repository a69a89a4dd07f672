extension FreezerProbe {
    /// The real probe: the container's cgroup is frozen (v1 freezer.state FROZEN, or v2
    /// cgroup.freeze 1).
    public static let cgroup = FreezerProbe { record in
        !record.cgroupPaths.isEmpty && CgroupManager(paths: record.cgroupPaths).isFrozen()
    }
}
