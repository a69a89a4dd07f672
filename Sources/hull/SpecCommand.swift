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
            An existing config.json is never replaced.
            """
    )

    @OptionGroup(title: "Global Options") var global: GlobalOptions

    @Option(name: [.short, .long], help: ArgumentHelp("The bundle directory to write config.json in.", valueName: "dir"))
    var bundle: String?

    @Flag(help: "Write a configuration for a container run by an unprivileged user.")
    var rootless = false

    func execute() throws {
        let spec = rootless ? Spec.rootlessDefault(uid: geteuid(), gid: getegid()) : Spec.runcDefault()
        do {
            try spec.writeConfig(toBundle: bundle ?? "")
        } catch let error as HullError {
            throw HullError("spec: " + error.message)
        }
    }
}
