import Foundation
import XCTest
@testable import HullCore

/// Files under the package's testdata/ directory, found from this source file's path.
enum TestData {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // HullCoreTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
        .appendingPathComponent("testdata")

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    static func spec(_ name: String) throws -> Spec {
        try Spec.decode(bytes(name))
    }

    /// A JSON document as data, key order and number spelling ignored.
    static func json(_ bytes: [UInt8]) throws -> JSONValue {
        try JSONParser.parse(bytes).canonical
    }

    static func json(_ text: String) throws -> JSONValue {
        try json(Array(text.utf8))
    }
}

/// A fresh directory under the system temporary directory, removed by the caller.
func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("hull-spec-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
