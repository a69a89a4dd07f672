/// Why a document is not JSON, and where: `line` and `column` count from 1, columns in bytes.
struct JSONSyntaxError: Error, Equatable, Sendable {
    var message: String
    var line: Int
    var column: Int

    var description: String { "\(message) at line \(line), column \(column)" }
}

/// A strict RFC 8259 parser producing a `JSONValue`, with the two leniencies Foundation's
/// `JSONDecoder` has (a leading byte-order mark, trailing commas), so that it accepts exactly
/// the documents the decoder accepts and can say where the others go wrong.
struct JSONParser {
    /// The decoder's limit; deeper documents are refused rather than risking the stack.
    static let maximumDepth = 512

    private let bytes: [UInt8]
    private var offset = 0
    private var depth = 0

    static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        return try parser.parseDocument()
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private mutating func parseDocument() throws(JSONSyntaxError) -> JSONValue {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { offset = 3 }
        let value = try parseValue()
        skipWhitespace()
        if offset < bytes.count { throw error("unexpected data after the top-level value") }
        return value
    }

    // MARK: values

    private mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        guard let byte = peek() else { throw error("unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectWord("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw unexpectedCharacter()
        }
    }

    private mutating func parseObject() throws(JSONSyntaxError) -> JSONValue {
        try enterContainer()
        var members: [JSONMember] = []
        offset += 1
        while true {
            skipWhitespace()
            guard let byte = peek() else { throw error("unexpected end of input in an object") }
            if byte == UInt8(ascii: "}") { break }
            guard byte == UInt8(ascii: "\"") else { throw error("expected a string key in an object") }
            let key = try parseString()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw error("expected ':' after object key \(JSONQuote.quoted(key))") }
            offset += 1
            members.append(JSONMember(key: key, value: try parseValue()))
            skipWhitespace()
            guard let next = peek() else { throw error("unexpected end of input in an object") }
            if next == UInt8(ascii: ",") { offset += 1; continue }
            if next == UInt8(ascii: "}") { break }
            throw error("expected ',' or '}' after object member \(JSONQuote.quoted(key))")
        }
        offset += 1
        depth -= 1
        return .object(members)
    }

    private mutating func parseArray() throws(JSONSyntaxError) -> JSONValue {
        try enterContainer()
        var elements: [JSONValue] = []
        offset += 1
        while true {
            skipWhitespace()
            guard let byte = peek() else { throw error("unexpected end of input in an array") }
            if byte == UInt8(ascii: "]") { break }
            elements.append(try parseValue())
            skipWhitespace()
            guard let next = peek() else { throw error("unexpected end of input in an array") }
            if next == UInt8(ascii: ",") { offset += 1; continue }
            if next == UInt8(ascii: "]") { break }
            throw error("expected ',' or ']' after array element")
        }
        offset += 1
        depth -= 1
        return .array(elements)
    }

    private mutating func enterContainer() throws(JSONSyntaxError) {
        depth += 1
        if depth > JSONParser.maximumDepth { throw error("nesting deeper than \(JSONParser.maximumDepth) levels") }
    }

    private mutating func expectWord(_ word: String) throws(JSONSyntaxError) {
        for expected in word.utf8 {
            guard peek() == expected else { throw unexpectedCharacter() }
            offset += 1
        }
    }

    // MARK: numbers

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, returned as written.
    private mutating func parseNumber() throws(JSONSyntaxError) -> String {
        let start = offset
        if peek() == UInt8(ascii: "-") { offset += 1 }
        if peek() == UInt8(ascii: "0") {
            offset += 1
            if let byte = peek(), isDigit(byte) {
                offset = start
                throw error("invalid number: leading zero")
            }
        } else {
            try digits()
        }
        if peek() == UInt8(ascii: ".") {
            offset += 1
            try digits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            offset += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { offset += 1 }
            try digits()
        }
        return String(decoding: bytes[start..<offset], as: UTF8.self)
    }

    private mutating func digits() throws(JSONSyntaxError) {
        guard let first = peek(), isDigit(first) else {
            if peek() == nil { throw error("unexpected end of input in a number") }
            throw unexpectedCharacter(context: " in a number")
        }
        while let byte = peek(), isDigit(byte) { offset += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    // MARK: strings

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        let quote = offset
        offset += 1
        // Most strings are ASCII without an escape: made from their bytes in one step, with no
        // validation to do. The rest goes on byte by byte and is validated as a whole.
        let start = offset
        var ascii = true
        while let byte = peek(), byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\"), byte >= 0x20 {
            ascii = ascii && byte < 0x80
            offset += 1
        }
        if peek() == UInt8(ascii: "\""), ascii {
            let end = offset
            offset += 1
            return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<end]), as: UTF8.self) }
        }
        var utf8 = Array(bytes[start..<offset])
        while true {
            guard let byte = peek() else {
                offset = quote
                throw error("unterminated string")
            }
            switch byte {
            case UInt8(ascii: "\""):
                offset += 1
                guard let string = String(validating: utf8, as: UTF8.self) else {
                    offset = quote
                    throw error("invalid UTF-8 in string")
                }
                return string
            case UInt8(ascii: "\\"):
                try parseEscape(into: &utf8)
            case 0..<0x20:
                throw error("unescaped control character in string")
            default:
                utf8.append(byte)
                offset += 1
            }
        }
    }

    private mutating func parseEscape(into utf8: inout [UInt8]) throws(JSONSyntaxError) {
        offset += 1
        guard let byte = peek() else { throw error("unexpected end of input in an escape sequence") }
        offset += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(byte)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"): utf8.append(contentsOf: try parseUnicodeEscape())
        default:
            offset -= 2
            throw error("invalid escape sequence '\\\(Character(Unicode.Scalar(byte)))' in string")
        }
    }

    /// After `\u`: four hex digits, and for a high surrogate the `\uXXXX` low half that must follow.
    private mutating func parseUnicodeEscape() throws(JSONSyntaxError) -> [UInt8] {
        let start = offset - 2
        let unit = try hexQuad()
        var scalarValue = UInt32(unit)
        if (0xD800...0xDBFF).contains(unit) {
            guard peek() == UInt8(ascii: "\\"), peek(at: 1) == UInt8(ascii: "u") else {
                offset = start
                throw error("unpaired surrogate in \\u escape")
            }
            offset += 2
            let low = try hexQuad()
            guard (0xDC00...0xDFFF).contains(low) else {
                offset = start
                throw error("unpaired surrogate in \\u escape")
            }
            scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(scalarValue) else {
            offset = start
            throw error("unpaired surrogate in \\u escape")
        }
        return Array(String(Character(scalar)).utf8)
    }

    private mutating func hexQuad() throws(JSONSyntaxError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard let byte = peek(), let digit = hexValue(byte) else { throw error("invalid \\u escape in string") }
            value = value << 4 | UInt16(digit)
            offset += 1
        }
        return value
    }

    private func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    // MARK: position and errors

    private func peek(at distance: Int = 0) -> UInt8? {
        offset + distance < bytes.count ? bytes[offset + distance] : nil
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
            offset += 1
        }
    }

    private func unexpectedCharacter(context: String = "") -> JSONSyntaxError {
        guard let byte = peek() else { return error("unexpected end of input\(context)") }
        let shown = byte >= 0x20 && byte < 0x7F
            ? "'\(Character(Unicode.Scalar(byte)))'"
            : "byte 0x\(String(byte, radix: 16, uppercase: true))"
        return error("unexpected character \(shown)\(context)")
    }

    /// An error at the current offset, with its line and column.
    private func error(_ message: String) -> JSONSyntaxError {
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        return JSONSyntaxError(message: message, line: line, column: offset - lineStart + 1)
    }
}
