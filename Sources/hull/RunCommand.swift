import ArgumentParser
import HullCore

/// `hull run ID`: create + start, then wait and exit with the container's status.
struct RunCommand: HullCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Create and start a container, and wait for it.",
        discussion: "Exits with the container process's exit status, or 128+N when it was killed by signal N."
    )

    static let clonesIntoContainers = true

    @OptionGroup(title: "Global Options") var global: GlobalOptions
    @OptionGroup var launch: LaunchFlags

    @Flag(name: [.customShort("d"), .long], help: "Do not wait for the container.")
    var detach = false

    @Flag(help: "Keep the container's state after it exits (do not delete it).")
    var keep = false

    @Argument(help: ArgumentHelp("The container ID.", valueName: "container-id"))
    var id: String

    func execute() throws {
        try Self.perform(store: global.store, request: global.launchRequest(launch, id: id), detach: detach, keep: keep)
    }

    static func perform(store: StateStore, request: CreateRequest, detach: Bool, keep: Bool) throws {
        let status = try Lifecycle(store: store).run(request, detach: detach, keep: keep)
        if status != 0 { throw ExitCode(status) }
    }
}
