import ArgumentParser
import HullCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `hull features`: prints what hull implements, as runtime-spec features.md describes.
struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Show the features hull implements, as JSON.",
        discussion: """
            Prints the runtime-spec features document (features.md): the spec versions, hooks, \
            mount options, namespaces and Linux features hull supports. An empty list or false \
            means not supported.
            """
    )

    func run() throws {
        do {
            print(try PrettyJSON.encode(Features.hull), terminator: "")
        } catch let error as HullError {
            throw failure("features: " + error.message)
        }
    }

    /// Prints `message` on stderr and gives the exit status 1.
    private func failure(_ message: String) -> ExitCode {
        let line = Array((message + "\n").utf8)
        _ = line.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
        return ExitCode.failure
    }
}
