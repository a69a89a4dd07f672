import XCTest
import Foundation
@testable import HullCore

/// The JSON parser, writer and tree coders behind config.json errors and `hull spec` output.
final class JSONTests: XCTestCase {
    func testParserKeepsOrderAndNumberSpelling() throws {
        let value = try JSONParser.parse(Array(#"{"b": 1e3, "a": [true, null, "x\u00e9\n"], "c": -0.5}"#.utf8))
        XCTAssertEqual(value, .object([
            JSONMember(key: "b", value: .number("1e3")),
            JSONMember(key: "a", value: .array([.bool(true), .null, .string("xé\n")])),
            JSONMember(key: "c", value: .number("-0.5")),
        ]))
    }

    func testParserAcceptsWhatJSONDecoderAccepts() throws {
        XCTAssertNoThrow(try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array("{}".utf8)))
        XCTAssertNoThrow(try JSONParser.parse(Array(#"{"a": [1, 2,],}"#.utf8)))
        XCTAssertEqual(try JSONParser.parse(Array(#""\ud83d\ude00""#.utf8)), .string("😀"))
    }

    /// Plain ASCII is made in one step; an escape or a non-ASCII byte anywhere, even after a
    /// plain prefix, goes through the byte-by-byte path and its validation.
    func testParserStringsEachWay() throws {
        let cases: [(String, String)] = [
            (#""""#, ""), (#""plain/ascii""#, "plain/ascii"), (#""ab\ncd""#, "ab\ncd"),
            (#""caf\u00e9 é""#, "café é"), (#""é""#, "é"), (#""x\"y""#, "x\"y"),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(try JSONParser.parse(Array(text.utf8)), .string(expected), text)
        }
        XCTAssertThrowsError(try JSONParser.parse(Array("\"ab".utf8) + [0xC3, 0x28] + Array("\"".utf8))) { error in
            XCTAssertEqual((error as? JSONSyntaxError)?.description, "invalid UTF-8 in string at line 1, column 1")
        }
        XCTAssertThrowsError(try JSONParser.parse(Array("\"abc".utf8))) { error in
            XCTAssertEqual((error as? JSONSyntaxError)?.description, "unterminated string at line 1, column 1")
        }
    }

    func testParserErrors() {
        let cases: [(String, String)] = [
            ("{\"a\" 1}", "expected ':' after object key \"a\" at line 1, column 6"),
            ("\n\n  nul", "unexpected end of input at line 3, column 6"),
            ("\"\\ud800\"", "unpaired surrogate in \\u escape at line 1, column 2"),
            ("\"a\u{01}\"", "unescaped control character in string at line 1, column 3"),
            ("[1.]", "unexpected character ']' in a number at line 1, column 4"),
            (String(repeating: "[", count: 513), "nesting deeper than 512 levels at line 1, column 513"),
        ]
        for (text, message) in cases {
            XCTAssertThrowsError(try JSONParser.parse(Array(text.utf8))) { error in
                XCTAssertEqual((error as? JSONSyntaxError)?.description, message, text)
            }
        }
    }

    func testWriterLayout() {
        let value = JSONValue.object([
            JSONMember(key: "s", value: .string("a\"b\\c/d\t\u{1}")),
            JSONMember(key: "empty", value: .array([])),
            JSONMember(key: "o", value: .object([JSONMember(key: "n", value: .number("1"))])),
        ])
        XCTAssertEqual(JSONWriter.write(value), """
            {
              "s": "a\\"b\\\\c/d\\t\\u0001",
              "empty": [],
              "o": {
                "n": 1
              }
            }

            """)
    }

    func testEncoderSortsDictionaryKeysAndKeepsStructOrder() throws {
        let spec = Spec(ociVersion: "1.3.0", annotations: ["b": "2", "a": "1", "c": "3"],
                        linux: Linux(sysctl: ["z": "1", "y": "2"], mountLabel: "m"))
        let value = try JSONValueEncoder.encode(spec)
        guard case .object(let top) = value, case .object(let annotations)? = value["annotations"],
              case .object(let linux)? = value["linux"], case .object(let sysctl)? = value["linux"]?["sysctl"] else {
            return XCTFail("unexpected shape \(value)")
        }
        XCTAssertEqual(top.map(\.key), ["ociVersion", "annotations", "linux"])
        XCTAssertEqual(annotations.map(\.key), ["a", "b", "c"])
        XCTAssertEqual(linux.map(\.key), ["sysctl", "mountLabel"])
        XCTAssertEqual(sysctl.map(\.key), ["y", "z"])
    }

    func testTreeDecoderAgreesWithJSONDecoder() throws {
        let bytes = try TestData.bytes("full-config.json")
        let viaTree = try JSONValueDecoder.decode(Spec.self, from: JSONParser.parse(bytes))
        XCTAssertEqual(viaTree, try Spec.decode(bytes))
    }

    func testCPUList() {
        XCTAssertEqual(CPUList.parse("0-3,7"), [0...3, 7...7])
        XCTAssertEqual(CPUList.parse(" 1 , ,2-2,"), [1...1, 2...2])
        XCTAssertEqual(CPUList.parse(""), [])
        XCTAssertNil(CPUList.parse("3-1"))
        XCTAssertNil(CPUList.parse("-1"))
        XCTAssertNil(CPUList.parse("1-2-3"))
        XCTAssertNil(CPUList.parse("65537"))
        XCTAssertNil(CPUList.parse(","))
        XCTAssertEqual(CPUList.count([0...3, 2...5]), 6)
    }

    func testConfigPathSpelling() {
        XCTAssertEqual(ConfigPath.appending("limit", to: "linux.resources.memory"), "linux.resources.memory.limit")
        XCTAssertEqual(ConfigPath.appending("net.ipv4.ip_forward", to: "linux.sysctl"), #"linux.sysctl["net.ipv4.ip_forward"]"#)
        XCTAssertEqual(ConfigPath.appending("0", to: "linux.netDevices"), #"linux.netDevices["0"]"#)
        XCTAssertEqual(ConfigPath.appending("ociVersion", to: ""), "ociVersion")
    }
}
