import ArgumentParser
import HullCore

/// The flags runc accepts before the subcommand (`hull --root R --log F --log-format json create ...`).
///
/// How a subcommand uses them: declare `@OptionGroup var global: GlobalOptions` and conform to
/// `HullCommand`, putting the work in `execute()`:
///
///     struct PauseCommand: HullCommand {
///         static let configuration = CommandConfiguration(commandName: "pause", abstract: "...")
///         @OptionGroup(title: "Global Options") var global: GlobalOptions
///         @Argument var id: String
///         func execute() throws { let store = global.store; ... }
///     }
///
/// and add it to `Hull.configuration.subcommands`. The root command `Hull` declares the same
/// group; swift-argument-parser decodes it once from flags before or after the subcommand name and
/// hands that value to the subcommand's `@OptionGroup`, so both `hull --root X state ID` and
/// `hull state --root X ID` work.
struct GlobalOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Directory for container state.", valueName: "path"))
    var root: String = StateStore.defaultRoot

    @Option(help: ArgumentHelp("Append log entries to this file instead of stderr.", valueName: "path"))
    var log: String?

    @Option(name: .customLong("log-format"), help: ArgumentHelp("Log format: text or json.", valueName: "format"))
    var logFormat: String = LogFormat.text.rawValue

    @Flag(help: "Write debug log entries.")
    var debug = false

    @Flag(name: .customLong("systemd-cgroup"), help: "Let systemd create the container's cgroup (a transient scope unit; cgroupsPath is slice:prefix:name).")
    var systemdCgroup = false

    @Option(help: ArgumentHelp("Rootless cgroups: auto, true or false (auto: when not root, or in a user namespace).", valueName: "value"))
    var rootless: String = "auto"

    /// `--rootless`, checked by `apply()`.
    var rootlessMode: RootlessMode { RootlessMode(rawValue: rootless) ?? .auto }
    @Option(help: ArgumentHelp("The CRIU binary for checkpoint and restore.", valueName: "path"))
    var criu: String = "criu"

    /// The state store at `--root`.
    var store: StateStore { StateStore(root: root) }

    /// The request of `create` or `run`, with the cgroup driver these flags choose.
    func launchRequest(_ launch: LaunchFlags, id: String) throws -> CreateRequest {
        var request = try launch.request(id: id)
        request.systemdCgroup = systemdCgroup
        request.rootless = rootlessMode
        return request
    }

    /// Applies the flags: configures logging, and refuses values hull does not implement yet, so
    /// no flag is silently ignored. `--systemd-cgroup` matters to `create` and `run`, which
    /// pass it on (`launchRequest`); later commands learn the driver from the saved state.
    func apply() throws {
        try Self.apply(log: log, logFormat: logFormat, debug: debug, systemdCgroup: systemdCgroup, rootless: rootless)
    }

    /// `systemdCgroup` needs nothing here: `create` and `run` check the host when they use it.
    static func apply(log: String?, logFormat: String, debug: Bool, systemdCgroup: Bool, rootless: String) throws {
        let format = try LogFormat(parsing: logFormat)
        try Log.configure(path: log, format: format, debug: debug)
        _ = try RootlessMode(parsing: rootless)
    }
}

