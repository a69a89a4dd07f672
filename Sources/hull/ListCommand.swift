import ArgumentParser
import HullCore

/// `hull list`: the containers under `--root`, as a table, JSON or IDs.
struct ListCommand: HullCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List containers started by hull with the given root."
    )

    @OptionGroup(title: "Global Options") var global: GlobalOptions

    @Option(name: [.customShort("f"), .long], help: "Output format: table or json.")
    var format: QuickArguments.ListFormat = .table

    @Flag(name: .shortAndLong, help: "Print only the container IDs.")
    var quiet = false

    func execute() throws {
        Self.perform(store: global.store, format: format, quiet: quiet)
    }

    /// The work of `list`, shared with the quick path (QuickPath.swift).
    static func perform(store: StateStore, format: QuickArguments.ListFormat, quiet: Bool) {
        let states = store.list().map { store.state(of: $0) }
        if quiet {
            writeToStdout(ContainerListing.quiet(states))
            return
        }
        switch format {
        case .table: writeToStdout(ContainerListing.table(states))
        case .json: writeToStdout(ContainerListing.json(states))
        }
    }
}

extension QuickArguments.ListFormat: ExpressibleByArgument {}
