import XCTest
@testable import HullCore

final class ProcStatTests: XCTestCase {
    /// A real line from `runc create` (comm contains ':', '[' and ']').
    func testParsesRuncInitLine() throws {
        let line = "3840 (runc:[2:INIT]) S 1 3840 3840 0 -1 4194624 675 0 0 0 0 1 0 0 20 0 5 0 23674 1040629760 2459 18446744073709551615 4214784 8407281 140723975132032 0 0 0 0 0 2143420159 0 0 0 17 0 0 0 0 0 0 12766600 12948064 242003968 140723975134998 140723975135008 140723975135008 140723975135214 0\n"
        let stat = try ProcStat.parse(line)
        XCTAssertEqual(stat, ProcStat(pid: 3840, comm: "runc:[2:INIT]", state: "S", ppid: 1, startTime: 23674))
        XCTAssertFalse(stat.hasExited)
    }

    func testCommWithSpacesAndParentheses() throws {
        let line = "42 (a) b (c) Z 7 42 42 0 -1 4194624 0 0 0 0 0 0 0 0 20 0 1 0 99887766 0 0 18446744073709551615"
        let stat = try ProcStat.parse(line)
        XCTAssertEqual(stat.pid, 42)
        XCTAssertEqual(stat.comm, "a) b (c")
        XCTAssertEqual(stat.state, "Z")
        XCTAssertEqual(stat.ppid, 7)
        XCTAssertEqual(stat.startTime, 99887766)
        XCTAssertTrue(stat.hasExited)
    }

    func testEmptyCommAndSpaceOnlyComm() throws {
        XCTAssertEqual(try ProcStat.parse("5 () R 1 5 5 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 12 0").comm, "")
        XCTAssertEqual(try ProcStat.parse("5 (  ) R 1 5 5 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 12 0").comm, "  ")
    }

    func testRejectsMalformedLines() {
        for line in ["", "12 no comm here", "x (a) S 1 2", "12 (a) S 1 2 3", "12 (a) S x 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 12 0",
                     "12 (a) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 notanumber 0", ") 12 ( S"] {
            XCTAssertThrowsError(try ProcStat.parse(line), line) { error in
                XCTAssertTrue(String(describing: error).hasPrefix("/proc stat: "), "\(error)")
            }
        }
    }

    func testReadsOwnProcess() throws {
        let pid = getpid()
        let stat = try XCTUnwrap(ProcStat.read(pid: pid))
        XCTAssertEqual(stat.pid, pid)
        XCTAssertEqual(stat.ppid, getppid())
        XCTAssertGreaterThan(stat.startTime, 0)
        XCTAssertEqual(stat.state, "R")
        // The start time identifies the process: reading again gives the same value.
        XCTAssertEqual(ProcStat.read(pid: pid)?.startTime, stat.startTime)
    }

    func testMissingProcessIsNil() {
        XCTAssertNil(ProcStat.read(pid: 0))
        XCTAssertNil(ProcStat.read(pid: -1))
        XCTAssertNil(ProcStat.read(pid: Int32.max))
    }
}
