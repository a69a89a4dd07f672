import ArgumentParser
import HullCore

#if canImport(Glibc)
import Glibc
#endif

/// `hull events ID`: the container's statistics as runc's JSON event objects: once with
/// `--stats`, otherwise every `--interval` (and OOM kills as they happen) until it stops.
struct EventsCommand: HullCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "Display container events such as resource usage statistics.")

    @OptionGroup(title: "Global Options") var global: GlobalOptions

    @Flag(help: "Display the container's statistics once, then exit.")
    var stats = false

    @Option(help: "The interval between statistics events (a Go duration: 5s, 500ms, 1m).")
    var interval: String = "5s"

    @Argument(help: ArgumentHelp("The container ID.", valueName: "container-id"))
    var id: String

    func execute() throws {
        let lifecycle = Lifecycle(store: global.store)
        if stats {
            writeToStdout(try lifecycle.statsEvent(id: id))
            return
        }
        guard let micros = GoDuration.microseconds(interval), micros > 0 else {
            throw HullError("events: --interval: invalid duration \"\(interval)\"")
        }
        try lifecycle.streamEvents(id: id, intervalMicros: micros, write: writeToStdout)
    }
}

/// Go's time.ParseDuration for the units a CLI interval uses.
enum GoDuration {
    static func microseconds(_ text: String) -> Int64? {
        let units: [(String, Double)] = [("ms", 1_000), ("us", 1), ("µs", 1), ("ns", 0.001), ("s", 1_000_000), ("m", 60_000_000), ("h", 3_600_000_000)]
        var rest = Substring(text)
        var total = 0.0
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            guard let unit = units.first(where: { rest.hasPrefix($0.0) }) else { return nil }
            rest = rest.dropFirst(unit.0.count)
            total += value * unit.1
        }
        return Int64(total)
    }
}
