import ArgumentParser
import HullCore

/// The flags `create` and `run` share, with runc's names.
struct LaunchFlags: ParsableArguments {
    @Option(name: [.customShort("b"), .long], help: ArgumentHelp("Path to the bundle (default: current directory).", valueName: "path"))
    var bundle: String = "."

    @Option(name: .customLong("pid-file"), help: ArgumentHelp("Write the init process's pid to this file.", valueName: "path"))
    var pidFile: String?

    @Option(name: .customLong("console-socket"), help: ArgumentHelp("Unix socket to receive the pty master (process.terminal).", valueName: "path"))
    var consoleSocket: String?

    @Option(name: .customLong("pidfd-socket"), help: ArgumentHelp("Unix socket to receive a pidfd of the init process.", valueName: "path"))
    var pidfdSocket: String?

    @Flag(name: .customLong("no-pivot"), help: "Use MS_MOVE and chroot instead of pivot_root.")
    var noPivot = false

    @Flag(name: .customLong("no-new-keyring"), help: "Keep the caller's session keyring.")
    var noNewKeyring = false

    @Option(name: .customLong("preserve-fds"), help: ArgumentHelp("Pass this many extra fds (from 3) to the container.", valueName: "n"))
    var preserveFds: Int = 0

    func request(id: String) throws -> CreateRequest {
        guard preserveFds >= 0 else { throw HullError("--preserve-fds: must not be negative") }
        return CreateRequest(id: id, bundle: bundle, pidFile: pidFile,
                             launch: LaunchOptions(noPivot: noPivot, noNewKeyring: noNewKeyring, preserveFds: preserveFds),
                             pidfdSocket: pidfdSocket, consoleSocket: consoleSocket)
    }

    /// The same request from the quick path's parse (QuickPath.swift).
    static func request(_ launch: QuickArguments.Launch) -> CreateRequest {
        CreateRequest(id: launch.id, bundle: launch.bundle, pidFile: launch.pidFile,
                      launch: LaunchOptions(noPivot: launch.noPivot, noNewKeyring: launch.noNewKeyring,
                                            preserveFds: launch.preserveFds),
                      pidfdSocket: launch.pidfdSocket, consoleSocket: launch.consoleSocket)
    }
}
