import ArgumentParser
import HullCore

#if canImport(Glibc)
import Glibc
#endif

/// The hot path of engines' command lines (QuickArguments), run through the same functions as
/// the commands' `execute()` and the same error reporting, without building
/// swift-argument-parser's model of every command first.
enum QuickPath {
    static func run(_ quick: QuickArguments) -> Never {
        let global = quick.global
        do {
            try runReportingErrors(apply: {
                try GlobalOptions.apply(log: global.log, logFormat: global.logFormat, debug: global.debug,
                                        systemdCgroup: false, rootless: "auto")
            }) {
                if quick.clonesIntoContainers { try SealedExecutable.ensure() }
                try perform(quick.command, store: StateStore(root: global.root))
            }
            exit(0)
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            exit(1)
        }
    }

    private static func perform(_ command: QuickArguments.Command, store: StateStore) throws {
        switch command {
        case .version:
            writeToStdout(Hull.versionText + "\n")
        case .state(let id):
            try StateCommand.perform(store: store, id: id)
        case .start(let id):
            try Lifecycle(store: store).start(id: id)
        case .pause(let id):
            try Lifecycle(store: store).pause(id: id)
        case .resume(let id):
            try Lifecycle(store: store).resume(id: id)
        case .kill(let id, let signal, let all):
            try KillCommand.perform(store: store, id: id, signal: signal, all: all)
        case .delete(let id, let force):
            try Lifecycle(store: store).delete(id: id, force: force)
        case .create(let launch):
            try Lifecycle(store: store).create(LaunchFlags.request(launch))
        case .run(let launch, let detach, let keep):
            try RunCommand.perform(store: store, request: LaunchFlags.request(launch), detach: detach, keep: keep)
        case .exec(let exec):
            try ExecCommand.perform(store: store, request: exec.request())
        case .list(let format, let quiet):
            ListCommand.perform(store: store, format: format, quiet: quiet)
        case .spec(let bundle, let rootless):
            try SpecCommand.perform(bundle: bundle, rootless: rootless)
        }
    }
}
