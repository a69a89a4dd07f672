#if canImport(Glibc)
import Glibc
#endif

/// `--debug` timings of the steps of a command: each `mark` logs the time since the previous
/// one (and since the start) as a debug entry, `timing: <step> <ms> ms (total <ms> ms)`.
/// Costs nothing but a clock read when debug logging is off.
struct StepTimer {
    private let start: Double
    private var last: Double

    init() {
        start = Self.now()
        last = start
    }

    mutating func mark(_ step: @autoclosure () -> String) {
        guard Log.isDebugEnabled else { return }
        let now = Self.now()
        Log.debug("timing: \(step()) \(Self.format(now - last)) ms (total \(Self.format(now - start)) ms)")
        last = now
    }

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) * 1000 + Double(time.tv_nsec) / 1_000_000
    }

    private static func format(_ ms: Double) -> String {
        let hundredths = Int((ms * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
