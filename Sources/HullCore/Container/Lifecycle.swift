/// The container lifecycle of runtime.md, one operation per file (Create, Start, Kill,
/// Delete, Run), over one state store.
public struct Lifecycle: Sendable {
    public let store: StateStore

    public init(store: StateStore) {
        self.store = store
    }

    /// The state JSON hooks and `start` hand on, with `status`.
    func stateJSON(_ record: ContainerRecord, status: ContainerStatus) -> String {
        ContainerState(record: record, status: status).compactJSON
    }

    /// The config.json that `create` saved next to state.json (hooks for start and delete).
    func savedSpec(id: String) throws -> Spec {
        try Spec.decode(FileIO.read(store.directory(id: id) + "/config.json"))
    }
}
