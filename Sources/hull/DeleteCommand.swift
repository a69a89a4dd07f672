import ArgumentParser
import HullCore

/// `hull delete ID`: removes a stopped container.
struct DeleteCommand: HullCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a container.")

    @OptionGroup(title: "Global Options") var global: GlobalOptions

    @Flag(name: [.customShort("f"), .long], help: "Kill the container first if it is running.")
    var force = false

    @Argument(help: ArgumentHelp("The container ID.", valueName: "container-id"))
    var id: String

    func execute() throws {
        try Lifecycle(store: global.store).delete(id: id, force: force)
    }
}
