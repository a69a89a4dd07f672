import ArgumentParser
import HullCore

/// `hull pause ID`: freezes every process of the container.
struct PauseCommand: HullCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause", abstract: "Suspend all processes of a container.")

    @OptionGroup(title: "Global Options") var global: GlobalOptions

    @Argument(help: ArgumentHelp("The container ID.", valueName: "container-id"))
    var id: String

    func execute() throws {
        try Lifecycle(store: global.store).pause(id: id)
    }
}
