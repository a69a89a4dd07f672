import XCTest
@testable import HullCore

final class ContainerIDTests: XCTestCase {
    func testAcceptsEveryAllowedCharacter() throws {
        for id in ["a", "Z", "0", "abc-DEF_123+x.y", "_", "+", "-", "...", ".a", "a.", "..a", String(repeating: "x", count: 1024)] {
            XCTAssertNoThrow(try ContainerID.validate(id), id)
            XCTAssertTrue(ContainerID.isValid(id), id)
        }
    }

    func testRejectsEmpty() {
        XCTAssertThrowsError(try ContainerID.validate("")) { error in
            XCTAssertEqual(error as? HullError, HullError(#"invalid container ID "": must not be empty"#))
        }
    }

    func testRejectsDotAndDotDot() {
        XCTAssertThrowsError(try ContainerID.validate(".")) { error in
            XCTAssertEqual(error as? HullError, HullError(#"invalid container ID ".": must not be "." or "..""#))
        }
        XCTAssertThrowsError(try ContainerID.validate("..")) { error in
            XCTAssertEqual(error as? HullError, HullError(#"invalid container ID "..": must not be "." or "..""#))
        }
    }

    func testRejectsDisallowedCharactersNamingTheRule() {
        XCTAssertThrowsError(try ContainerID.validate("a/b")) { error in
            XCTAssertEqual(error as? HullError, HullError(#"invalid container ID "a/b": only [a-zA-Z0-9_+.-] are allowed"#))
        }
        for id in ["a b", "a:b", "a@b", "é", "a\u{0}b", "/", "../x", "a\\b", "a*b", "ü1"] {
            XCTAssertThrowsError(try ContainerID.validate(id), id) { error in
                XCTAssertTrue(String(describing: error).hasSuffix("only [a-zA-Z0-9_+.-] are allowed"), "\(error)")
            }
        }
    }

    func testErrorStaysOneLineForControlCharacters() {
        XCTAssertThrowsError(try ContainerID.validate("a\nb\u{1}")) { error in
            XCTAssertEqual(error as? HullError, HullError(#"invalid container ID "a\nb\x01": only [a-zA-Z0-9_+.-] are allowed"#))
        }
    }

    func testRejectsMoreThan1024Bytes() {
        XCTAssertThrowsError(try ContainerID.validate(String(repeating: "x", count: 1025))) { error in
            XCTAssertEqual(error as? HullError, HullError("invalid container ID (1025 bytes): at most 1024 bytes are allowed"))
        }
    }
}
