extension Lifecycle {
    /// `hull pause`: freezes every process of a running container.
    public func pause(id: String) throws {
        try store.withLock(id: id) { _ in
            let record = try store.load(id: id)
            let status = store.status(of: record)
            guard status == .running || status == .created else { throw HullError("container not running") }
            try CgroupManager(of: record, for: "pause").freeze()
        }
    }

    /// `hull resume`: thaws a paused container.
    public func resume(id: String) throws {
        try store.withLock(id: id) { _ in
            let record = try store.load(id: id)
            guard store.status(of: record) == .paused else { throw HullError("container not paused") }
            try CgroupManager(of: record, for: "resume").thaw()
        }
    }
}
