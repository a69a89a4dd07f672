import ArgumentParser
import HullCore

/// `hull state ID`: prints the container's runtime-spec state as runc does.
struct StateCommand: HullCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Output the state of a container.",
        discussion: "Prints the OCI state (ociVersion, id, pid, status, bundle, rootfs, created, owner, annotations) as JSON."
    )

    @OptionGroup(title: "Global Options") var global: GlobalOptions

    @Argument(help: ArgumentHelp("The container ID.", valueName: "container-id"))
    var id: String

    func execute() throws {
        try Self.perform(store: global.store, id: id)
    }

    static func perform(store: StateStore, id: String) throws {
        let record = try store.load(id: id)
        writeToStdout(store.state(of: record).indentedJSON)
    }
}
