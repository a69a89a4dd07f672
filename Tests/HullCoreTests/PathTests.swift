import Foundation
import XCTest
@testable import HullCore

final class PathTests: XCTestCase {
    func testCleanCollapsesSlashesDotsAndDotDots() {
        let cases = [
            ("/", "/"), ("", "/"), ("//", "/"), ("/a/b", "/a/b"), ("/a//b/", "/a/b"), ("a/b", "/a/b"),
            ("/a/./b/.", "/a/b"), ("/a/b/../c", "/a/c"), ("/../a", "/a"), ("/a/..", "/"), ("/a/b/../../..", "/"),
            ("/a/..b/.c", "/a/..b/.c"), ("/sys/fs/cgroup/cpu//process_api/x", "/sys/fs/cgroup/cpu/process_api/x"),
            ("/é/ü/../ß", "/é/ß"),
        ]
        for (path, cleaned) in cases {
            XCTAssertEqual(Path.clean(path), cleaned, path)
        }
    }

    func testMakeDirectoriesMakesOnlyWhatIsMissingAndNamesWhatFails() throws {
        let base = NSTemporaryDirectory() + "hull-mkdirs-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: base) }
        var made: [String] = []
        XCTAssertNil(FileIO.makeDirectories(base + "/a/b/", mode: 0o700) { made.append($0) })
        XCTAssertEqual(made, [base, base + "/a", base + "/a/b/"])
        made = []
        XCTAssertNil(FileIO.makeDirectories(base + "/a/b", mode: 0o700) { made.append($0) })
        XCTAssertEqual(made, [], "nothing to make")
        XCTAssertTrue(FileManager.default.createFile(atPath: base + "/file", contents: nil))
        let failed = FileIO.makeDirectories(base + "/file/sub/deeper", mode: 0o700) { _ in }
        XCTAssertEqual(failed?.path, base + "/file/sub/deeper")
        XCTAssertEqual(failed?.errno, ENOTDIR)
    }
}
