import ArgumentParser
import HullCore

#if canImport(Glibc)
import Glibc
#endif

/// A hull subcommand: its work goes in `execute()`; `run()` applies the global flags and reports
/// any error the one way hull reports errors (see `runReportingErrors`).
protocol HullCommand: ParsableCommand {
    var global: GlobalOptions { get }
    /// Whether the command clones processes into a container (create, run, exec): those run
    /// from a sealed copy of hull's binary first (CVE-2019-5736, `SealedExecutable`).
    static var clonesIntoContainers: Bool { get }
    func execute() throws
}

extension HullCommand {
    static var clonesIntoContainers: Bool { false }

    mutating func run() throws {
        try runReportingErrors(global) {
            if Self.clonesIntoContainers {
                try SealedExecutable.ensure()
            }
            try execute()
        }
    }
}

/// Configures logging from `global`, runs `body`, and turns an error into hull's failure report:
/// the one-line message on stderr, an `error` entry in the `--log` file (when there is one; without
/// `--log` the log is stderr and the message is printed once), and exit status 1. Errors that are
/// not `HullError` are reported by their description. Argument parsing errors never get here:
/// swift-argument-parser reports them (usage, exit status 64).
func runReportingErrors(_ global: GlobalOptions, _ body: () throws -> Void) throws {
    try runReportingErrors(apply: global.apply, body)
}

/// The same, with the global flags applied by `apply` (the quick path has no `GlobalOptions`).
func runReportingErrors(apply: () throws -> Void, _ body: () throws -> Void) throws {
    do {
        try apply()
        try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        let message = String(describing: error)
        if !Log.isWritingToStderr {
            Log.error(message)
        }
        writeToStderr(message + "\n")
        throw ExitCode.failure
    }
}

/// Writes `text` to stdout exactly (no added newline), unbuffered.
func writeToStdout(_ text: String) {
    write(fd: STDOUT_FILENO, text)
}

func writeToStderr(_ text: String) {
    write(fd: STDERR_FILENO, text)
}

private func write(fd: Int32, _ text: String) {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        if written < 0 && errno == EINTR { continue }
        guard written > 0 else { return }
        bytes = bytes.dropFirst(written)
    }
}
