import ArgumentParser
import HullCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `hull spec`: writes an example config.json, the one `runc spec` writes.
struct SpecCommand: HullCommand {
    static let configuration = CommandConfiguration(
        commandName: "spec",
        abstract: "Create a new config.json in the bundle.",
        discussion: """
            Writes the same example configuration as `runc spec` (a container running sh on a \
            terminal in the bundle's rootfs directory), for hull's runtime-spec version. \
            An existing config.json is never replaced. `--rootless` after `spec` writes a \
            configuration an unprivileged user can run as it is (runc's `spec --rootless`).
            """
    )

    /// What `--rootless` after `spec` becomes before parsing: the global `--rootless VALUE` and
    /// spec's own `--rootless` flag share a name in runc, which swift-argument-parser cannot
    /// declare twice in one command line.
    static let rootlessFlag = "--spec-rootless"

    @OptionGroup(title: "Global Options") var global: GlobalOptions

    @Option(name: [.short, .long], help: ArgumentHelp("The bundle directory to write config.json in.", valueName: "dir"))
    var bundle: String?

    @Flag(name: .customLong(String(rootlessFlag.dropFirst(2))),
          help: ArgumentHelp("Write a configuration for a container run by an unprivileged user.", visibility: .hidden))
    var rootless = false

    /// `arguments` with each `--rootless` after the `spec` subcommand renamed to `rootlessFlag`.
    static func renamingRootlessFlag(_ arguments: [String]) -> [String] {
        guard let index = subcommandIndex(arguments), arguments[index] == configuration.commandName else { return arguments }
        return Array(arguments[...index]) + arguments[(index + 1)...].map { $0 == "--rootless" ? rootlessFlag : $0 }
    }

    /// Where the subcommand's name is: the first word that is not a global flag or its value.
    private static func subcommandIndex(_ arguments: [String]) -> Int? {
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            if ["--root", "--log", "--log-format", "--rootless", "--criu"].contains(word) {
                index += 2
            } else if word.hasPrefix("-") {
                index += 1
            } else {
                return index
            }
        }
        return nil
    }

    func execute() throws {
        try Self.perform(bundle: bundle, rootless: rootless)
    }

    /// The command's work, for the quick path too.
    static func perform(bundle: String?, rootless: Bool) throws {
        let spec = rootless ? Spec.rootlessDefault(uid: geteuid(), gid: getegid()) : Spec.runcDefault()
        do {
            try spec.writeConfig(toBundle: bundle ?? "")
        } catch let error as HullError {
            throw HullError("spec: " + error.message)
        }
    }
}
