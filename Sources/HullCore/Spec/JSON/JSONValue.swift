/// A JSON document as a tree whose objects keep their members in order.
///
/// `JSONParser` makes it and `JSONValueDecoder` decodes config.json and process.json from it,
/// with errors that name the value; state.json is read and written through it by hand
/// (ContainerRecord+Tree.swift); `JSONValueEncoder` and `JSONWriter` write JSON in a chosen key
/// order.
enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    /// The number's literal text, so integers of any width round-trip exactly.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])

    /// The member named `key` (the last one, as JSONDecoder does, if the key repeats).
    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last(where: { $0.key == key })?.value
    }

    /// A copy with every object's members sorted by key: for comparing documents as data.
    var canonical: JSONValue {
        switch self {
        case .array(let elements):
            return .array(elements.map(\.canonical))
        case .object(let members):
            var byKey: [String: JSONValue] = [:]
            for member in members { byKey[member.key] = member.value.canonical }
            return .object(byKey.keys.sorted().map { JSONMember(key: $0, value: byKey[$0] ?? .null) })
        case .number(let literal):
            return .number(JSONValue.canonicalNumber(literal))
        default:
            return self
        }
    }

    /// Integers in plain decimal form ("1e3" and "1000" are the same number).
    private static func canonicalNumber(_ literal: String) -> String {
        if Int64(literal) != nil || UInt64(literal) != nil { return literal }
        guard let double = Double(literal) else { return literal }
        if let exact = Int64(exactly: double) { return String(exact) }
        return String(double)
    }

    /// How a type mismatch names this value: "a string", "an object", ...
    var kindDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

extension JSONValue {
    static func int<T: BinaryInteger>(_ value: T) -> JSONValue { .number(String(value)) }

    /// An object from ordered `(key, value)` pairs.
    static func ordered(_ pairs: [(String, JSONValue)]) -> JSONValue {
        .object(pairs.map { JSONMember(key: $0.0, value: $0.1) })
    }

    /// An object from a string map, keys sorted as Go sorts map keys (by bytes).
    static func sortedObject(_ map: [String: String]) -> JSONValue {
        ordered(map.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
            .map { ($0.key, .string($0.value)) })
    }
}

/// One `"key": value` pair of a JSON object.
struct JSONMember: Equatable, Sendable {
    var key: String
    var value: JSONValue
}
