/// The state of a container as `hull state` and `hull list` report it: the OCI runtime-spec state
/// (runtime.md "State") in the exact shape runc prints.
///
/// Keys in runc's order: ociVersion, id, pid, status, bundle, rootfs, created, owner, then
/// annotations only when there are any. Like runc, `pid` is 0 once the container is stopped.
public struct ContainerState: Codable, Equatable, Sendable {
    public var ociVersion: String
    public var id: String
    public var pid: Int32
    public var status: ContainerStatus
    public var bundle: String
    public var rootfs: String
    public var created: String
    public var owner: String
    public var annotations: [String: String]?

    public init(
        ociVersion: String = HullVersion.specVersion, id: String, pid: Int32, status: ContainerStatus,
        bundle: String, rootfs: String, created: String, owner: String, annotations: [String: String]? = nil
    ) {
        self.ociVersion = ociVersion
        self.id = id
        self.pid = pid
        self.status = status
        self.bundle = bundle
        self.rootfs = rootfs
        self.created = created
        self.owner = owner
        self.annotations = annotations
    }

    /// The state of `record` given its derived `status`.
    public init(record: ContainerRecord, status: ContainerStatus) {
        self.init(
            id: record.id,
            pid: status == .stopped ? 0 : record.pid,
            status: status,
            bundle: record.bundle,
            rootfs: record.rootfs,
            created: record.created,
            owner: record.owner,
            annotations: record.annotations.isEmpty ? nil : record.annotations
        )
    }

    /// The state as an ordered JSON object.
    var jsonValue: JSONValue {
        var members: [(String, JSONValue)] = [
            ("ociVersion", .string(ociVersion)),
            ("id", .string(id)),
            ("pid", .int(pid)),
            ("status", .string(status.rawValue)),
            ("bundle", .string(bundle)),
            ("rootfs", .string(rootfs)),
            ("created", .string(created)),
            ("owner", .string(owner)),
        ]
        if let annotations, !annotations.isEmpty {
            members.append(("annotations", .sortedObject(annotations)))
        }
        return .ordered(members)
    }

    /// One line of JSON, as hooks and the exec fifo get it.
    var compactJSON: String {
        JSONWriter.compact(jsonValue)
    }

    /// What `hull state` prints: indented by two spaces, no trailing newline (as runc).
    public var indentedJSON: String {
        JSONWriter.indented(jsonValue)
    }
}
