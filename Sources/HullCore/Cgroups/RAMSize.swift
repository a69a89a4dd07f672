/// Sizes as runc's `update` flags take them (go-units RAMInBytes): a number with an optional
/// binary unit, "512", "64m", "1.5G", "2GiB", "100 kb"; "-1" is unlimited.
public enum RAMSize {
    public static func bytes(_ text: String) -> Int64? {
        if text == "-1" { return -1 }
        var rest = Substring(text.lowercased())
        let number = rest.prefix { $0.isNumber || $0 == "." }
        guard !number.isEmpty, number.first != ".", let value = Double(number) else { return nil }
        rest = rest.dropFirst(number.count)
        if rest.first == " " { rest = rest.dropFirst() }
        var multiplier = 1.0
        if let unit = rest.first, let power = "kmgtp".firstIndex(of: unit) {
            multiplier = pow1024("kmgtp".distance(from: "kmgtp".startIndex, to: power) + 1)
            rest = rest.dropFirst()
            if rest.first == "i" { rest = rest.dropFirst() }
        }
        if rest.first == "b" { rest = rest.dropFirst() }
        guard rest.isEmpty else { return nil }
        let bytes = value * multiplier
        guard bytes < 9.2e18 else { return nil }
        return Int64(bytes)
    }

    private static func pow1024(_ exponent: Int) -> Double {
        (0..<exponent).reduce(1.0) { result, _ in result * 1024 }
    }
}
