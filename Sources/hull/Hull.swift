import ArgumentParser
import HullCore

@main
struct Hull: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hull",
        abstract: "An OCI container runtime.",
        version: versionText,
        subcommands: [
            CreateCommand.self, StartCommand.self, RunCommand.self, KillCommand.self, DeleteCommand.self,
            StateCommand.self, ListCommand.self, PauseCommand.self, ResumeCommand.self, UpdateCommand.self,
            PsCommand.self, EventsCommand.self, ExecCommand.self, CheckCommand.self, SpecCommand.self, FeaturesCommand.self,
            CheckpointCommand.self, RestoreCommand.self,
        ]
    )

    /// The global flags, accepted before the subcommand; each subcommand reads the same values
    /// through its own `@OptionGroup var global: GlobalOptions` (see GlobalOptions.swift).
    @OptionGroup var global: GlobalOptions

    /// Engines' hot-path command lines skip swift-argument-parser (QuickPath); everything else,
    /// and anything the quick parse is not sure of, goes through it.
    static func main() {
        if let quick = QuickArguments.parse(Array(CommandLine.arguments.dropFirst())) {
            QuickPath.run(quick)
        }
        main(SpecCommand.renamingRootlessFlag(Array(CommandLine.arguments.dropFirst())))
    }

    static var versionText: String {
        """
        hull version \(HullVersion.version)
        commit: \(HullVersion.commit)
        spec: \(HullVersion.specVersion)
        libseccomp: \(HullVersion.libseccomp)
        """
    }
}
