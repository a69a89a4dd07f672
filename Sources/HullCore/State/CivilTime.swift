import Glibc

/// The UTC calendar fields of a Unix time, computed rather than asked of glibc: `gmtime_r`
/// first runs `tzset`, which opens and parses /etc/localtime (four system calls in every
/// `create`, for the `created` timestamp, which is UTC and needs no zone).
enum CivilTime {
    /// `tm` as `gmtime_r` fills it for `epochSeconds` (the fields RFC3339Timestamp reads:
    /// year, month, day, hour, minute, second; `tm_gmtoff` 0).
    static func utc(_ epochSeconds: Int) -> tm {
        let days = epochSeconds.floorDivided(by: 86_400)
        let secondOfDay = epochSeconds - days * 86_400
        let date = civilDate(daysSinceEpoch: days)
        var parts = tm()
        parts.tm_year = Int32(date.year - 1900)
        parts.tm_mon = Int32(date.month - 1)
        parts.tm_mday = Int32(date.day)
        parts.tm_hour = Int32(secondOfDay / 3600)
        parts.tm_min = Int32(secondOfDay % 3600 / 60)
        parts.tm_sec = Int32(secondOfDay % 60)
        return parts
    }

    /// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's
    /// `civil_from_days`): counted in 400-year eras from 0000-03-01, so that the leap day
    /// falls at the end of each computed year.
    private static func civilDate(daysSinceEpoch days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468 // days from 0000-03-01 to 1970-01-01
        let era = shifted.floorDivided(by: 146_097)
        let dayOfEra = shifted - era * 146_097 // [0, 146096]
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365 // [0, 399]
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100) // [0, 365], from March 1
        let monthFromMarch = (5 * dayOfYear + 2) / 153 // [0, 11]
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

private extension Int {
    /// Division rounding toward negative infinity (times before 1970 have negative days).
    func floorDivided(by divisor: Int) -> Int {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
