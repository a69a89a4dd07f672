import ArgumentParser
import HullCore

/// `hull start ID`: runs the user's process of a created container.
struct StartCommand: HullCommand {
    static let configuration = CommandConfiguration(commandName: "start", abstract: "Start a created container.")

    @OptionGroup(title: "Global Options") var global: GlobalOptions

    @Argument(help: ArgumentHelp("The container ID.", valueName: "container-id"))
    var id: String

    func execute() throws {
        try Lifecycle(store: global.store).start(id: id)
    }
}
