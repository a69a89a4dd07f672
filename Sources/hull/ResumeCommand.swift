import ArgumentParser
import HullCore

/// `hull resume ID`: thaws a paused container.
struct ResumeCommand: HullCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "Resume all processes of a paused container.")

    @OptionGroup(title: "Global Options") var global: GlobalOptions

    @Argument(help: ArgumentHelp("The container ID.", valueName: "container-id"))
    var id: String

    func execute() throws {
        try Lifecycle(store: global.store).resume(id: id)
    }
}
