import ArgumentParser
import HullCore

/// `hull create ID`: the container's init process waits in all its namespaces for `start`.
struct CreateCommand: HullCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a container.",
        discussion: "Sets up the container from the bundle's config.json; its process runs on `hull start`."
    )

    static let clonesIntoContainers = true

    @OptionGroup(title: "Global Options") var global: GlobalOptions
    @OptionGroup var launch: LaunchFlags

    @Argument(help: ArgumentHelp("The container ID.", valueName: "container-id"))
    var id: String

    func execute() throws {
        try Lifecycle(store: global.store).create(global.launchRequest(launch, id: id))
    }
}
