import ArgumentParser
import HullCore

/// `hull kill ID [SIGNAL]`: signals the container's init (or all its processes).
struct KillCommand: HullCommand {
    static let configuration = CommandConfiguration(commandName: "kill", abstract: "Send a signal to a container.")

    @OptionGroup(title: "Global Options") var global: GlobalOptions

    @Flag(name: [.customShort("a"), .long], help: "Signal every process of the container.")
    var all = false

    @Argument(help: ArgumentHelp("The container ID.", valueName: "container-id"))
    var id: String

    @Argument(help: ArgumentHelp("Signal name or number (default: SIGTERM).", valueName: "signal"))
    var signal: String = "SIGTERM"

    func execute() throws {
        try Self.perform(store: global.store, id: id, signal: signal, all: all)
    }

    static func perform(store: StateStore, id: String, signal: String, all: Bool) throws {
        try Lifecycle(store: store).kill(id: id, signal: Signals.parse(signal), all: all)
    }
}
