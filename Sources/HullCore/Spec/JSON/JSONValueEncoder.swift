/// Encodes an `Encodable` value into a `JSONValue`, keeping members in the order `encode(to:)`
/// writes them. Synthesized conformances write properties in declaration order, so a type's
/// JSON key order is its declaration order. Dictionaries have no order and are written with
/// sorted keys, as Go does.
///
/// `nil` optionals are left out (synthesized conformances use `encodeIfPresent`), which gives
/// the `omitempty` behaviour of the Go types.
struct JSONValueEncoder {
    static func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let root = EncodingNode()
        try encodeValue(value, into: root, codingPath: [])
        return root.value
    }
}

/// Dictionaries keyed by strings: encoded as JSON objects whose keys get sorted.
protocol StringKeyedDictionary {}
extension Dictionary: StringKeyedDictionary where Key == String {}

/// One node of the tree being built. A class, because nested containers write into their
/// node after the parent container has handed it out.
private final class EncodingNode {
    enum Kind { case unset, scalar, object, array }

    var kind = Kind.unset
    var scalar = JSONValue.null
    var keys: [String] = []
    var children: [String: EncodingNode] = [:]
    var elements: [EncodingNode] = []
    var sortsKeys = false

    /// The member node for `key`, created on first use; re-encoding a key replaces its value
    /// but keeps its first position.
    func child(_ key: String) -> EncodingNode {
        kind = .object
        if let existing = children[key] { return existing }
        let node = EncodingNode()
        keys.append(key)
        children[key] = node
        return node
    }

    func appendElement() -> EncodingNode {
        kind = .array
        let node = EncodingNode()
        elements.append(node)
        return node
    }

    func set(_ value: JSONValue) {
        kind = .scalar
        scalar = value
    }

    var value: JSONValue {
        switch kind {
        case .unset:
            // A value that encoded nothing at all; `{}` is what JSONEncoder writes for it.
            return .object([])
        case .scalar:
            return scalar
        case .array:
            return .array(elements.map(\.value))
        case .object:
            let order = sortsKeys ? keys.sorted() : keys
            return .object(order.compactMap { key in children[key].map { JSONMember(key: key, value: $0.value) } })
        }
    }
}

private struct TreeEncoder: Encoder {
    let node: EncodingNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.kind = .object
        return KeyedEncodingContainer(KeyedContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.kind = .array
        return UnkeyedContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueContainer(node: node, codingPath: codingPath)
    }
}

/// Encodes `value` into `node`, marking string-keyed dictionaries for key sorting.
private func encodeValue<T: Encodable>(_ value: T, into node: EncodingNode, codingPath: [any CodingKey]) throws {
    try value.encode(to: TreeEncoder(node: node, codingPath: codingPath))
    if value is any StringKeyedDictionary { node.sortsKeys = true }
}

private func integer<T: BinaryInteger>(_ value: T) -> JSONValue { .number(String(value)) }

/// JSON has no NaN or infinity; like JSONEncoder's `.convertToString` absent, they become null.
private func floatingPoint<T: BinaryFloatingPoint & LosslessStringConvertible>(_ value: T) -> JSONValue {
    guard value.isFinite else { return .null }
    if let exact = Int64(exactly: value) { return .number(String(exact)) }
    return .number(String(value))
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: EncodingNode
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { node.child(key.stringValue).set(.null) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { node.child(key.stringValue).set(.bool(value)) }
    mutating func encode(_ value: String, forKey key: Key) throws { node.child(key.stringValue).set(.string(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws { node.child(key.stringValue).set(floatingPoint(value)) }
    mutating func encode(_ value: Float, forKey key: Key) throws { node.child(key.stringValue).set(floatingPoint(value)) }
    mutating func encode(_ value: Int, forKey key: Key) throws { node.child(key.stringValue).set(integer(value)) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { node.child(key.stringValue).set(integer(value)) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { node.child(key.stringValue).set(integer(value)) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { node.child(key.stringValue).set(integer(value)) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { node.child(key.stringValue).set(integer(value)) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { node.child(key.stringValue).set(integer(value)) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { node.child(key.stringValue).set(integer(value)) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { node.child(key.stringValue).set(integer(value)) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { node.child(key.stringValue).set(integer(value)) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { node.child(key.stringValue).set(integer(value)) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try encodeValue(value, into: node.child(key.stringValue), codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let child = node.child(key.stringValue)
        child.kind = .object
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(node: child, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = node.child(key.stringValue)
        child.kind = .array
        return UnkeyedContainer(node: child, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        TreeEncoder(node: node.child("super"), codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        TreeEncoder(node: node.child(key.stringValue), codingPath: codingPath + [key])
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let node: EncodingNode
    let codingPath: [any CodingKey]
    var count: Int { node.elements.count }

    mutating func encodeNil() throws { node.appendElement().set(.null) }
    mutating func encode(_ value: Bool) throws { node.appendElement().set(.bool(value)) }
    mutating func encode(_ value: String) throws { node.appendElement().set(.string(value)) }
    mutating func encode(_ value: Double) throws { node.appendElement().set(floatingPoint(value)) }
    mutating func encode(_ value: Float) throws { node.appendElement().set(floatingPoint(value)) }
    mutating func encode(_ value: Int) throws { node.appendElement().set(integer(value)) }
    mutating func encode(_ value: Int8) throws { node.appendElement().set(integer(value)) }
    mutating func encode(_ value: Int16) throws { node.appendElement().set(integer(value)) }
    mutating func encode(_ value: Int32) throws { node.appendElement().set(integer(value)) }
    mutating func encode(_ value: Int64) throws { node.appendElement().set(integer(value)) }
    mutating func encode(_ value: UInt) throws { node.appendElement().set(integer(value)) }
    mutating func encode(_ value: UInt8) throws { node.appendElement().set(integer(value)) }
    mutating func encode(_ value: UInt16) throws { node.appendElement().set(integer(value)) }
    mutating func encode(_ value: UInt32) throws { node.appendElement().set(integer(value)) }
    mutating func encode(_ value: UInt64) throws { node.appendElement().set(integer(value)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let path = codingPath + [JSONIndexKey(count)]
        try encodeValue(value, into: node.appendElement(), codingPath: path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let path = codingPath + [JSONIndexKey(count)]
        let child = node.appendElement()
        child.kind = .object
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(node: child, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = codingPath + [JSONIndexKey(count)]
        let child = node.appendElement()
        child.kind = .array
        return UnkeyedContainer(node: child, codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        let path = codingPath + [JSONIndexKey(count)]
        return TreeEncoder(node: node.appendElement(), codingPath: path)
    }
}

private struct SingleValueContainer: SingleValueEncodingContainer {
    let node: EncodingNode
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { node.set(.null) }
    mutating func encode(_ value: Bool) throws { node.set(.bool(value)) }
    mutating func encode(_ value: String) throws { node.set(.string(value)) }
    mutating func encode(_ value: Double) throws { node.set(floatingPoint(value)) }
    mutating func encode(_ value: Float) throws { node.set(floatingPoint(value)) }
    mutating func encode(_ value: Int) throws { node.set(integer(value)) }
    mutating func encode(_ value: Int8) throws { node.set(integer(value)) }
    mutating func encode(_ value: Int16) throws { node.set(integer(value)) }
    mutating func encode(_ value: Int32) throws { node.set(integer(value)) }
    mutating func encode(_ value: Int64) throws { node.set(integer(value)) }
    mutating func encode(_ value: UInt) throws { node.set(integer(value)) }
    mutating func encode(_ value: UInt8) throws { node.set(integer(value)) }
    mutating func encode(_ value: UInt16) throws { node.set(integer(value)) }
    mutating func encode(_ value: UInt32) throws { node.set(integer(value)) }
    mutating func encode(_ value: UInt64) throws { node.set(integer(value)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try encodeValue(value, into: node, codingPath: codingPath)
    }
}
