import Glibc

/// Timestamps in the two RFC 3339 forms runc writes, produced without Foundation.
///
/// - `created` in the container state: UTC with nanoseconds, trailing zeros dropped (Go's
///   `time.RFC3339Nano` on a UTC time): `2026-11-23T18:31:15.974521857Z`.
/// - log entries: local time to the second, `Z` for UTC or a `+01:00` offset (logrus's default
///   `time.RFC3339`): `2026-11-23T18:31:22Z`.
public enum RFC3339Timestamp {
    /// The current time in UTC with nanoseconds, for `ContainerRecord.created`.
    public static func nowUTCNano() -> String {
        let now = currentTime()
        return format(epochSeconds: now.seconds, nanoseconds: now.nanoseconds, local: false, fractional: true)
    }

    /// The current local time to the second, for log entries.
    public static func nowLocalSeconds() -> String {
        format(epochSeconds: currentTime().seconds, nanoseconds: 0, local: true, fractional: false)
    }

    /// Formats a point in time given as seconds and nanoseconds since the Unix epoch.
    public static func format(epochSeconds: Int, nanoseconds: Int, local: Bool, fractional: Bool) -> String {
        let parts = local ? localParts(epochSeconds) : CivilTime.utc(epochSeconds)
        var text = "\(Int(parts.tm_year) + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))"
        text += "T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
        if fractional && nanoseconds > 0 {
            var digits = padded(String(nanoseconds), to: 9)
            while digits.last == "0" { digits.removeLast() }
            text += "." + digits
        }
        return text + offset(local ? Int(parts.tm_gmtoff) : 0)
    }

    private static func localParts(_ epochSeconds: Int) -> tm {
        var time = time_t(epochSeconds)
        var parts = tm()
        localtime_r(&time, &parts)
        return parts
    }

    private static func currentTime() -> (seconds: Int, nanoseconds: Int) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return (Int(now.tv_sec), Int(now.tv_nsec))
    }

    /// `Z` for UTC, otherwise `+hh:mm` / `-hh:mm`.
    private static func offset(_ seconds: Int) -> String {
        if seconds == 0 { return "Z" }
        let minutes = abs(seconds) / 60
        return (seconds < 0 ? "-" : "+") + two(Int32(minutes / 60)) + ":" + two(Int32(minutes % 60))
    }

    private static func two(_ value: Int32) -> String {
        padded(String(value), to: 2)
    }

    private static func padded(_ digits: String, to width: Int) -> String {
        digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
