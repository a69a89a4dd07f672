/// `org.systemd.property.NAME` annotations (runc's initSystemdProps): extra properties of the
/// container's unit, the value in GVariant text format. hull reads the forms such values take:
/// `true`/`false`, a number with a type (`uint64 123`, `int32 -1`, `uint32`, `int64`, `byte`,
/// `uint16`, `int16`, `double`), a bare integer (int32, as GVariant types it) or decimal
/// (double), a quoted string ('x' or "x"), `@TYPE VALUE`, and a list of strings (['a', 'b']).
/// As in runc, NAMEs ending in a lower-case letter + "Sec" are converted to "USec" with the
/// value in microseconds.
enum SystemdAnnotations {
    static let prefix = "org.systemd.property."

    static func properties(_ annotations: [String: String]?) throws -> [SystemdProperty] {
        guard let annotations else { return [] }
        var result: [SystemdProperty] = []
        for key in annotations.keys.sorted() where key.hasPrefix(prefix) {
            let text = annotations[key] ?? ""
            let field = "config.json: annotations[\(quoted(key))]: "
            var name = String(key.dropFirst(prefix.count))
            guard name.count >= 3, name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("A"..."Z").contains($0) }) else {
                throw HullError(field + "the property name \(quoted(name)) must be at least 3 ASCII letters")
            }
            var value: SystemdProperty.Value
            do {
                value = try parse(text)
            } catch let error as HullError {
                throw HullError(field + error.message)
            }
            let base = name.dropLast(3)
            if name.hasSuffix("Sec"), let last = base.last, ("a"..."z").contains(last) {
                guard let microseconds = secondsToMicroseconds(value) else {
                    throw HullError(field + "\(quoted(text)) is not a number of seconds")
                }
                name = base + "USec"
                value = .uint64(microseconds)
            }
            result.append(SystemdProperty(name, value))
        }
        return result
    }

    /// One GVariant text value (the subset above).
    static func parse(_ raw: String) throws -> SystemdProperty.Value {
        let text = raw.trimmingWhitespace
        let bad = HullError("cannot parse \(quoted(raw)) as a GVariant value (true, 'text', uint64 5, [\'a\'], ...)")
        switch text {
        case "true": return .bool(true)
        case "false": return .bool(false)
        default: break
        }
        if let string = unquote(text) { return .string(string) }
        if text.hasPrefix("["), text.hasSuffix("]") {
            let inner = String(text.dropFirst().dropLast()).trimmingWhitespace
            if inner.isEmpty { return .strings([]) }
            let items = inner.split(separator: ",").map { unquote(String($0).trimmingWhitespace) }
            guard items.allSatisfy({ $0 != nil }) else { throw bad }
            return .strings(items.compactMap { $0 })
        }
        let words = text.split(separator: " ", maxSplits: 1).map(String.init)
        if words.count == 2 {
            let type = words[0].hasPrefix("@") ? String(words[0].dropFirst()) : words[0]
            let number = words[1].trimmingWhitespace
            guard let value = typed(type, number) else { throw bad }
            return value
        }
        if let int = Int32(text) { return .int32(int) }
        if text.contains("."), let real = Double(text) { return .double(real) }
        throw bad
    }

    private static func typed(_ type: String, _ text: String) -> SystemdProperty.Value? {
        switch type {
        case "uint64", "t": return UInt64(text).map { .uint64($0) }
        case "int64", "x": return Int64(text).map { .int64($0) }
        case "uint32", "u": return UInt32(text).map { .uint32($0) }
        case "int32", "i": return Int32(text).map { .int32($0) }
        // Sent as the wider D-Bus types: sd-bus has no separate path for them here.
        case "uint16", "q", "byte", "y": return UInt32(text).map { .uint32($0) }
        case "int16", "n": return Int32(text).map { .int32($0) }
        case "double", "d": return Double(text).map { .double($0) }
        case "s": return unquote(text).map { .string($0) }
        case "b": return text == "true" ? .bool(true) : text == "false" ? .bool(false) : nil
        default: return nil
        }
    }

    private static func unquote(_ text: String) -> String? {
        guard text.count >= 2, let first = text.first, first == "'" || first == "\"", text.last == first else { return nil }
        return String(text.dropFirst().dropLast())
    }

    /// A value in seconds as microseconds (runc's convertSecToUSec).
    private static func secondsToMicroseconds(_ value: SystemdProperty.Value) -> UInt64? {
        switch value {
        case .uint64(let n): return n.multipliedReportingOverflow(by: 1_000_000).overflow ? nil : n * 1_000_000
        case .uint32(let n): return UInt64(n) * 1_000_000
        case .int64(let n) where n >= 0: return UInt64(n).multipliedReportingOverflow(by: 1_000_000).overflow ? nil : UInt64(n) * 1_000_000
        case .int32(let n) where n >= 0: return UInt64(n) * 1_000_000
        case .double(let d) where d >= 0 && d < 1.8e13: return UInt64(d * 1_000_000)
        default: return nil
        }
    }
}
