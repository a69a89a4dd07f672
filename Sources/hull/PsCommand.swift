import ArgumentParser
import HullCore

/// `hull ps ID [ps options]`: the container's processes, as a `ps` table or a JSON array of
/// host pids (runc's formats).
struct PsCommand: HullCommand {
    static let configuration = CommandConfiguration(
        commandName: "ps", abstract: "List the processes running inside a container.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @OptionGroup(title: "Global Options") var global: GlobalOptions

    @Option(name: [.customShort("f"), .long], help: "Output format: table or json.")
    var format: Format = .table

    @Argument(help: ArgumentHelp("The container ID.", valueName: "container-id"))
    var id: String

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("Options for ps (default: -ef).", valueName: "ps options"))
    var psArguments: [String] = []

    func execute() throws {
        let pids = try Lifecycle(store: global.store).processes(id: id)
        switch format {
        case .json:
            writeToStdout("[" + pids.map(String.init).joined(separator: ",") + "]\n")
        case .table:
            let arguments = psArguments.first == "--" ? Array(psArguments.dropFirst()) : psArguments
            writeToStdout(try ProcessTable.render(pids: pids, psArguments: arguments))
        }
    }
}
