/// Decodes a `Decodable` value from a `JSONValue`, throwing `DecodingError`s that carry the
/// coding path of the offending value.
///
/// It follows Foundation's `JSONDecoder`'s rules (`1e3` and `1.0` are integers, `null` is an
/// absent optional, the last of repeated keys wins) and decodes config.json: JSONDecoder's
/// generic code asks the Swift runtime about every type it meets (`T.self is ...`, metadata
/// by mangled name), which made decoding a quarter of `run`'s instructions. It also says which
/// value is wrong where JSONDecoder reports a number that does not fit ("uid": -1, 1.5 where an
/// integer belongs) only as "not valid JSON". Paths are built only for errors and nested values.
struct JSONValueDecoder {
    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try T(from: TreeDecoder(value: value, codingPath: []))
    }
}

/// An array position in a coding path, spelled as `JSONDecoder` spells it ("Index 2").
struct JSONIndexKey: CodingKey {
    var intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { return nil }
    init?(intValue: Int) { self.intValue = intValue }
}

private struct TreeDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else {
            throw mismatch([String: Any].self, found: value, at: codingPath)
        }
        return KeyedDecodingContainer(KeyedContainer<Key>(members: members, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else {
            throw mismatch([Any].self, found: value, at: codingPath)
        }
        return UnkeyedContainer(elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueContainer(value: value, codingPath: codingPath)
    }
}

// MARK: scalar conversions shared by the three containers

private func mismatch(_ type: Any.Type, found value: JSONValue, at path: [any CodingKey]) -> DecodingError {
    if value == .null {
        return .valueNotFound(type, DecodingError.Context(codingPath: path, debugDescription: "found null"))
    }
    return .typeMismatch(type, DecodingError.Context(codingPath: path, debugDescription: "found \(value.kindDescription)"))
}

private func bool(_ value: JSONValue, at path: @autoclosure () -> [any CodingKey]) throws -> Bool {
    guard case .bool(let bool) = value else { throw mismatch(Bool.self, found: value, at: path()) }
    return bool
}

private func string(_ value: JSONValue, at path: @autoclosure () -> [any CodingKey]) throws -> String {
    guard case .string(let string) = value else { throw mismatch(String.self, found: value, at: path()) }
    return string
}

private func floatingPoint<T: BinaryFloatingPoint & LosslessStringConvertible>(
    _ type: T.Type, _ value: JSONValue, at path: @autoclosure () -> [any CodingKey]
) throws -> T {
    guard case .number(let literal) = value else { throw mismatch(T.self, found: value, at: path()) }
    guard let number = T(literal), number.isFinite else {
        throw DecodingError.dataCorrupted(.init(codingPath: path(), debugDescription: "number \(literal) is out of range"))
    }
    return number
}

/// An integer of type `T`. Like JSONDecoder, accepts any literal whose value is a whole number
/// in range, whatever its spelling (`1000`, `1e3`, `1000.0`).
private func integer<T: FixedWidthInteger>(
    _ type: T.Type, _ value: JSONValue, at path: @autoclosure () -> [any CodingKey]
) throws -> T {
    guard case .number(let literal) = value else { throw mismatch(T.self, found: value, at: path()) }
    if let exact = T(literal) { return exact }
    let isPlainInteger = literal.utf8.allSatisfy { $0 == UInt8(ascii: "-") || ($0 >= 48 && $0 <= 57) }
    if !isPlainInteger, let double = Double(literal) {
        if double.rounded(.towardZero) != double {
            throw DecodingError.dataCorrupted(.init(codingPath: path(), debugDescription: "expected an integer, got \(literal)"))
        }
        if let exact = T(exactly: double) { return exact }
    }
    if isPlainInteger, literal == "-0" { return 0 }
    throw DecodingError.dataCorrupted(.init(
        codingPath: path(), debugDescription: "expected an integer from \(T.min) to \(T.max), got \(literal)"))
}

// MARK: containers

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let codingPath: [any CodingKey]
    /// In document order; objects are small, so a search beats building a dictionary.
    private let members: [JSONMember]

    init(members: [JSONMember], codingPath: [any CodingKey]) {
        self.members = members
        self.codingPath = codingPath
    }

    /// Each key once, in the order of its first appearance.
    var allKeys: [Key] {
        var seen = Set<String>()
        return members.compactMap { seen.insert($0.key).inserted ? Key(stringValue: $0.key) : nil }
    }

    /// The last member named `name`, as JSONDecoder takes it.
    private func member(_ name: String) -> JSONValue? {
        members.last { $0.key == name }?.value
    }

    func contains(_ key: Key) -> Bool { member(key.stringValue) != nil }

    private func value(_ key: Key) throws -> JSONValue {
        guard let value = member(key.stringValue) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing"))
        }
        return value
    }

    private func path(_ key: Key) -> [any CodingKey] { codingPath + [key] }

    func decodeNil(forKey key: Key) throws -> Bool { try value(key) == .null }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try bool(value(key), at: path(key)) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try string(value(key), at: path(key)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try floatingPoint(type, value(key), at: path(key)) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try floatingPoint(type, value(key), at: path(key)) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try integer(type, value(key), at: path(key)) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try integer(type, value(key), at: path(key)) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try integer(type, value(key), at: path(key)) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try integer(type, value(key), at: path(key)) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try integer(type, value(key), at: path(key)) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try integer(type, value(key), at: path(key)) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try integer(type, value(key), at: path(key)) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try integer(type, value(key), at: path(key)) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try integer(type, value(key), at: path(key)) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try integer(type, value(key), at: path(key)) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try T(from: TreeDecoder(value: value(key), codingPath: path(key)))
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try TreeDecoder(value: value(key), codingPath: path(key)).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try TreeDecoder(value: value(key), codingPath: path(key)).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        TreeDecoder(value: member("super") ?? .null, codingPath: codingPath)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        TreeDecoder(value: member(key.stringValue) ?? .null, codingPath: path(key))
    }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let codingPath: [any CodingKey]
    private(set) var currentIndex = 0

    init(elements: [JSONValue], codingPath: [any CodingKey]) {
        self.elements = elements
        self.codingPath = codingPath
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private func path(at index: Int) -> [any CodingKey] { codingPath + [JSONIndexKey(index)] }

    /// The next element and its index, moving past it.
    private mutating func next(_ type: Any.Type) throws -> (JSONValue, Int) {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, .init(codingPath: path(at: currentIndex),
                                                          debugDescription: "unkeyed container is at end"))
        }
        defer { currentIndex += 1 }
        return (elements[currentIndex], currentIndex)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, elements[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { let (v, i) = try next(type); return try bool(v, at: path(at: i)) }
    mutating func decode(_ type: String.Type) throws -> String { let (v, i) = try next(type); return try string(v, at: path(at: i)) }
    mutating func decode(_ type: Double.Type) throws -> Double { let (v, i) = try next(type); return try floatingPoint(type, v, at: path(at: i)) }
    mutating func decode(_ type: Float.Type) throws -> Float { let (v, i) = try next(type); return try floatingPoint(type, v, at: path(at: i)) }
    mutating func decode(_ type: Int.Type) throws -> Int { let (v, i) = try next(type); return try integer(type, v, at: path(at: i)) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { let (v, i) = try next(type); return try integer(type, v, at: path(at: i)) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { let (v, i) = try next(type); return try integer(type, v, at: path(at: i)) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { let (v, i) = try next(type); return try integer(type, v, at: path(at: i)) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { let (v, i) = try next(type); return try integer(type, v, at: path(at: i)) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { let (v, i) = try next(type); return try integer(type, v, at: path(at: i)) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { let (v, i) = try next(type); return try integer(type, v, at: path(at: i)) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { let (v, i) = try next(type); return try integer(type, v, at: path(at: i)) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { let (v, i) = try next(type); return try integer(type, v, at: path(at: i)) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { let (v, i) = try next(type); return try integer(type, v, at: path(at: i)) }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, index) = try next(type)
        return try T(from: TreeDecoder(value: value, codingPath: path(at: index)))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let (value, index) = try next([String: Any].self)
        return try TreeDecoder(value: value, codingPath: path(at: index)).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (value, index) = try next([Any].self)
        return try TreeDecoder(value: value, codingPath: path(at: index)).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let (value, index) = try next(Any.self)
        return TreeDecoder(value: value, codingPath: path(at: index))
    }
}

private struct SingleValueContainer: SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool { value == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try bool(value, at: codingPath) }
    func decode(_ type: String.Type) throws -> String { try string(value, at: codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try floatingPoint(type, value, at: codingPath) }
    func decode(_ type: Float.Type) throws -> Float { try floatingPoint(type, value, at: codingPath) }
    func decode(_ type: Int.Type) throws -> Int { try integer(type, value, at: codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type, value, at: codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type, value, at: codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type, value, at: codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type, value, at: codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type, value, at: codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type, value, at: codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type, value, at: codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type, value, at: codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type, value, at: codingPath) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try T(from: TreeDecoder(value: value, codingPath: codingPath))
    }
}
