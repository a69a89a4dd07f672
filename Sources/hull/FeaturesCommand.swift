import ArgumentParser
import HullCore


/// `hull features`: prints what hull implements, as runtime-spec features.md describes.
struct FeaturesCommand: HullCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Show the features hull implements, as JSON.",
        discussion: """
            Prints the runtime-spec features document (features.md): the spec versions, hooks, \
            mount options, namespaces and Linux features hull supports. An empty list or false \
            means not supported.
            """
    )

    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func execute() throws {
        writeToStdout(try PrettyJSON.encode(Features.hull))
    }
}
