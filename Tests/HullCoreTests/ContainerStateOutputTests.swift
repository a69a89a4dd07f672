import XCTest
@testable import HullCore

/// The expected strings are runc 1.1.5's output for the same container, captured with
/// `runc state x`, `runc list` and `runc list -f json`.
final class ContainerStateOutputTests: XCTestCase {
    private let runcLike = ContainerState(
        ociVersion: "1.0.2-dev", id: "x", pid: 3840, status: .created, bundle: "/tmp/b",
        rootfs: "/tmp/b/rootfs", created: "2026-11-23T18:31:15.974521857Z", owner: "")

    func testStateIsIndentedLikeRunc() {
        XCTAssertEqual(runcLike.indentedJSON, """
        {
          "ociVersion": "1.0.2-dev",
          "id": "x",
          "pid": 3840,
          "status": "created",
          "bundle": "/tmp/b",
          "rootfs": "/tmp/b/rootfs",
          "created": "2026-11-23T18:31:15.974521857Z",
          "owner": ""
        }
        """)
    }

    func testAnnotationsComeLastAndSorted() {
        var state = runcLike
        state.annotations = ["z": "1", "a": "<2>"]
        XCTAssertTrue(state.indentedJSON.hasSuffix("""
          "owner": "",
          "annotations": {
            "a": "\\u003c2\\u003e",
            "z": "1"
          }
        }
        """), state.indentedJSON)
        state.annotations = [:]
        XCTAssertFalse(state.indentedJSON.contains("annotations"))
    }

    func testTableMatchesRuncTabwriter() {
        var state = runcLike
        state.owner = "root"
        XCTAssertEqual(ContainerListing.table([state]), """
        ID          PID         STATUS      BUNDLE      CREATED                          OWNER
        x           3840        created     /tmp/b      2026-11-23T18:31:15.974521857Z   root

        """)
        XCTAssertEqual(ContainerListing.table([]), "ID          PID         STATUS      BUNDLE      CREATED     OWNER\n")
    }

    /// Checked against `runc list` with containers "a-rather-long-container-id" and "x".
    func testTableWidensColumnsForLongCells() {
        var long = runcLike
        long.id = "a-rather-long-container-id"
        long.bundle = "/b"
        let lines = ContainerListing.table([long, runcLike]).split(separator: "\n")
        XCTAssertEqual(lines[0], "ID                           PID         STATUS      BUNDLE      CREATED                          OWNER")
        XCTAssertEqual(lines[1], "a-rather-long-container-id   3840        created     /b          2026-11-23T18:31:15.974521857Z   ")
        XCTAssertEqual(lines[2], "x                            3840        created     /tmp/b      2026-11-23T18:31:15.974521857Z   ")
    }

    func testJSONListMatchesRunc() {
        var state = runcLike
        state.owner = "root"
        XCTAssertEqual(ContainerListing.json([state]),
                       #"[{"ociVersion":"1.0.2-dev","id":"x","pid":3840,"status":"created","bundle":"/tmp/b","rootfs":"/tmp/b/rootfs","created":"2026-11-23T18:31:15.974521857Z","owner":"root"}]"# + "\n")
        XCTAssertEqual(ContainerListing.json([]), "null\n")
    }

    func testQuietListsIDs() {
        var other = runcLike
        other.id = "y"
        XCTAssertEqual(ContainerListing.quiet([runcLike, other]), "x\ny\n")
        XCTAssertEqual(ContainerListing.quiet([]), "")
    }

    func testDefaultOCIVersionIsHulls() {
        let state = ContainerState(record: ContainerRecord(id: "x", bundle: "/b", rootfs: "/b/r"), status: .creating)
        XCTAssertEqual(state.ociVersion, HullVersion.specVersion)
        XCTAssertNil(state.annotations)
    }
}

/// JSONWriter and JSONQuote against what Go's encoding/json writes.
final class GoJSONOutputTests: XCTestCase {
    func testEscapesLikeGo() {
        XCTAssertEqual(JSONQuote.quoted("a\"b\\c\n\r\t\u{8}\u{c}\u{1}<>&\u{2028}\u{2029}é/"),
                       #""a\"b\\c\n\r\t\b\f\u0001\u003c\u003e\u0026\u2028\u2029é/""#)
        XCTAssertEqual(JSONQuote.quoted("plain ascii /x_1"), #""plain ascii /x_1""#, "copied as it is")
        XCTAssertEqual(JSONQuote.quoted(""), #""""#)
        XCTAssertEqual(JSONQuote.quoted("a\u{7f}<"), #""a\#u{7f}\u003c""#, "DEL is copied, as Go does")
    }

    func testCompactAndIndentedNesting() {
        let value = JSONValue.ordered([
            ("a", .array([.int(1), .int(-2), .bool(true), .null])),
            ("b", .ordered([])),
            ("c", .array([])),
            ("d", .ordered([("e", .string("f"))])),
        ])
        XCTAssertEqual(JSONWriter.compact(value), #"{"a":[1,-2,true,null],"b":{},"c":[],"d":{"e":"f"}}"#)
        XCTAssertEqual(JSONWriter.indented(value), """
        {
          "a": [
            1,
            -2,
            true,
            null
          ],
          "b": {},
          "c": [],
          "d": {
            "e": "f"
          }
        }
        """)
    }

    func testSortedObjectSortsByBytes() {
        XCTAssertEqual(JSONWriter.compact(.sortedObject(["b": "1", "B": "2", "a": "3"])), #"{"B":"2","a":"3","b":"1"}"#)
    }
}
