import ArgumentParser
import HullCore

/// `hull check`: what would make `create` fail (or warn), before anything is created.
struct CheckCommand: HullCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a bundle against the runtime spec and this host.",
        discussion: """
            Prints one line per problem (`error: FIELD: reason` or `warning: FIELD: reason`) and \
            exits 1 if any problem would make `create` fail.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup(title: "Global Options") var global: GlobalOptions

    @Option(name: [.customShort("b"), .long], help: ArgumentHelp("Path to the bundle (default: current directory).", valueName: "path"))
    var bundle: String = "."

    @Option(name: [.customShort("f"), .long], help: "Output format: text or json.")
    var format: Format = .text

    func execute() throws {
        let problems = BundleCheck.run(bundle: bundle)
        switch format {
        case .text:
            for problem in problems { print(problem.line) }
        case .json:
            print(BundleCheckReport(problems: problems).json())
        }
        if problems.contains(where: { $0.severity == .error }) { throw ExitCode(1) }
    }
}
