/// The protobuf wire format, as far as CRIU's RPC needs it: varints (bool, int32, uint32,
/// enums) and length-delimited fields (strings, nested messages). Debian ships no libcriu, and
/// the handful of messages hull sends do not justify a protobuf library and generated code:
/// `CriuMessages.swift` names each field it uses, with its number from CRIU's rpc.proto.
///
/// Encoding (https://protobuf.dev/programming-guides/encoding/): every field is a key, the
/// varint `number << 3 | wireType`, followed by its value; wire type 0 is a varint, 2 a
/// varint length and that many bytes.
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    private static let varintType: UInt64 = 0
    private static let lengthDelimitedType: UInt64 = 2

    mutating func bool(_ field: Int, _ value: Bool) {
        varint(field, value ? 1 : 0)
    }

    /// An int32 or enum: a negative value is sign-extended to 64 bits (ten bytes), as protobuf does.
    mutating func int32(_ field: Int, _ value: Int32) {
        varint(field, UInt64(bitPattern: Int64(value)))
    }

    mutating func uint32(_ field: Int, _ value: UInt32) {
        varint(field, UInt64(value))
    }

    mutating func string(_ field: Int, _ value: String) {
        lengthDelimited(field, Array(value.utf8))
    }

    mutating func message(_ field: Int, _ value: ProtobufWriter) {
        lengthDelimited(field, value.bytes)
    }

    mutating func varint(_ field: Int, _ value: UInt64) {
        appendVarint(UInt64(field) << 3 | Self.varintType)
        appendVarint(value)
    }

    private mutating func lengthDelimited(_ field: Int, _ value: [UInt8]) {
        appendVarint(UInt64(field) << 3 | Self.lengthDelimitedType)
        appendVarint(UInt64(value.count))
        bytes += value
    }

    private mutating func appendVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7f) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }
}

/// The fields of one encoded message, in order. Fixed 32- and 64-bit fields are skipped (CRIU's
/// responses have none hull reads); anything malformed is an error rather than a guess.
struct ProtobufReader {
    enum Value: Equatable {
        case varint(UInt64)
        case bytes([UInt8])
    }

    private(set) var fields: [(number: Int, value: Value)] = []

    init(_ bytes: [UInt8]) throws {
        var index = 0
        while index < bytes.count {
            let key = try Self.readVarint(bytes, &index)
            let number = Int(key >> 3)
            switch key & 7 {
            case 0:
                fields.append((number, .varint(try Self.readVarint(bytes, &index))))
            case 1:
                try Self.skip(8, bytes, &index)
            case 2:
                let length = try Self.readVarint(bytes, &index)
                guard length <= UInt64(bytes.count - index) else { throw Self.malformed }
                fields.append((number, .bytes(Array(bytes[index..<index + Int(length)]))))
                index += Int(length)
            case 5:
                try Self.skip(4, bytes, &index)
            default:
                throw Self.malformed
            }
        }
    }

    /// The last varint of field `number` (protobuf: the last value of a repeated scalar wins).
    func varint(_ number: Int) -> UInt64? {
        fields.last { $0.number == number }.flatMap { if case .varint(let v) = $0.value { v } else { nil } }
    }

    func bool(_ number: Int) -> Bool? {
        varint(number).map { $0 != 0 }
    }

    /// An int32 field, truncated from its (sign-extended) varint.
    func int32(_ number: Int) -> Int32? {
        varint(number).map { Int32(truncatingIfNeeded: Int64(bitPattern: $0)) }
    }

    func bytes(_ number: Int) -> [UInt8]? {
        fields.last { $0.number == number }.flatMap { if case .bytes(let b) = $0.value { b } else { nil } }
    }

    func string(_ number: Int) -> String? {
        bytes(number).map { String(decoding: $0, as: UTF8.self) }
    }

    func message(_ number: Int) throws -> ProtobufReader? {
        try bytes(number).map { try ProtobufReader($0) }
    }

    static let malformed = HullError("criu: malformed protobuf message")

    private static func readVarint(_ bytes: [UInt8], _ index: inout Int) throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.count, shift < 64 {
            let byte = bytes[index]
            index += 1
            value |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        throw malformed
    }

    private static func skip(_ count: Int, _ bytes: [UInt8], _ index: inout Int) throws {
        guard bytes.count - index >= count else { throw malformed }
        index += count
    }
}
