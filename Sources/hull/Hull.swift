import ArgumentParser
import HullCore

@main
struct Hull: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hull",
        abstract: "An OCI container runtime.",
        version: versionText,
        subcommands: [SpecCommand.self, FeaturesCommand.self]
    )

    static var versionText: String {
        """
        hull version \(HullVersion.version)
        commit: \(BuildInfo.commit)
        spec: \(HullVersion.specVersion)
        go: n/a
        libseccomp: \(HullVersion.libseccomp)
        """
    }
}
