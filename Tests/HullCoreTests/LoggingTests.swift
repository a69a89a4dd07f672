import Foundation
import XCTest
@testable import HullCore

final class LoggingTests: XCTestCase {
    private var path = ""

    override func setUp() {
        path = FileManager.default.temporaryDirectory.path + "/hull-log-\(UUID().uuidString)"
    }

    override func tearDownWithError() throws {
        try Log.configure(path: nil, format: .text, debug: false)
        try? FileManager.default.removeItem(atPath: path)
    }

    private func logLines() throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// runc 1.1.5: `runc --log l.json --log-format json state nonexistent` writes exactly this shape.
    func testJSONLineHasRuncKeysInRuncOrder() throws {
        let line = LogEntryFormatter.line(level: .error, message: #"container "x" does not exist"#, time: "2026-11-23T18:00:00Z", format: .json)
        XCTAssertEqual(line, #"{"level":"error","msg":"container \"x\" does not exist","time":"2026-11-23T18:00:00Z"}"# + "\n")
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String]
        XCTAssertEqual(object, ["level": "error", "msg": #"container "x" does not exist"#, "time": "2026-11-23T18:00:00Z"])
    }

    func testJSONFieldsAreSortedAmongTheFixedKeys() {
        let line = LogEntryFormatter.line(level: .debug, message: "m", fields: ["id": "c1", "z": "<"], time: "T", format: .json)
        XCTAssertEqual(line, #"{"id":"c1","level":"debug","msg":"m","time":"T","z":"\u003c"}"# + "\n")
    }

    /// runc 1.1.5: `runc --log l.txt state nonexistent` writes `time="..." level=error msg="..."`.
    func testTextLineLikeLogrusTextFormatter() {
        XCTAssertEqual(
            LogEntryFormatter.line(level: .error, message: "container does not exist", time: "2026-11-23T18:31:22Z", format: .text),
            #"time="2026-11-23T18:31:22Z" level=error msg="container does not exist""# + "\n")
        XCTAssertEqual(
            LogEntryFormatter.line(level: .warning, message: "plain-word_1.2/x@y^z+", fields: ["b": "two words", "a": "1"], time: "T", format: .text),
            #"time=T level=warning msg=plain-word_1.2/x@y^z+ a=1 b="two words""# + "\n")
    }

    func testTextQuotingEscapesLikeGo() {
        XCTAssertEqual(LogEntryFormatter.textValue(""), "")
        XCTAssertEqual(LogEntryFormatter.textValue("a\"b\\c\nd\te\u{7}\u{1}\u{7f}\u{85}é"),
                       #""a\"b\\c\nd\te\a\x01\x7f\u0085é""#)
    }

    func testLevelNames() {
        XCTAssertEqual(LogLevel.allCases.map(\.name), ["debug", "info", "warning", "error"])
    }

    func testLogFormatParsing() throws {
        XCTAssertEqual(try LogFormat(parsing: "json"), .json)
        XCTAssertEqual(try LogFormat(parsing: "text"), .text)
        XCTAssertThrowsError(try LogFormat(parsing: "JSON")) { error in
            XCTAssertEqual(error as? HullError, HullError(#"--log-format: invalid value "JSON" (expected text or json)"#))
        }
    }

    func testConfiguredJSONFileGetsEntriesAppendedAndDebugOnlyWhenEnabled() throws {
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data("existing line\n".utf8)))
        try Log.configure(path: path, format: .json, debug: false)
        XCTAssertFalse(Log.isWritingToStderr)
        XCTAssertFalse(Log.isDebugEnabled)
        XCTAssertEqual(Log.format, .json)
        Log.debug("hidden")
        Log.info("note")
        Log.warn("careful")
        Log.error("failed", fields: ["id": "c"])
        let lines = try logLines()
        XCTAssertEqual(lines.first, "existing line")
        XCTAssertEqual(lines.last, "")
        let entries = try lines.dropFirst().dropLast().map {
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String])
        }
        XCTAssertEqual(entries.map { $0["level"] }, ["info", "warning", "error"])
        XCTAssertEqual(entries.map { $0["msg"] }, ["note", "careful", "failed"])
        XCTAssertEqual(entries.last?["id"], "c")
        for entry in entries {
            XCTAssertEqual(Set(entry.keys).subtracting(["id"]), ["level", "msg", "time"])
            let time = try XCTUnwrap(entry["time"])
            XCTAssertNotNil(time.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$"#, options: .regularExpression), time)
        }
    }

    func testConfiguredTextFileWithDebug() throws {
        try Log.configure(path: path, format: .text, debug: true)
        XCTAssertTrue(Log.isDebugEnabled)
        Log.debug("looking at c1")
        let lines = try logLines()
        XCTAssertEqual(lines.count, 2)
        XCTAssertNotNil(lines[0].range(of: #"^time="[^"]+" level=debug msg="looking at c1"$"#, options: .regularExpression), lines[0])
    }

    func testUnopenableLogFileIsAnErrorNamingTheFlag() {
        XCTAssertThrowsError(try Log.configure(path: "/nonexistent-dir/x.log", format: .json, debug: false)) { error in
            XCTAssertEqual(error as? HullError, HullError("--log: /nonexistent-dir/x.log: open: No such file or directory"))
        }
        XCTAssertTrue(Log.isWritingToStderr)
    }
}

final class RFC3339TimestampTests: XCTestCase {
    func testUTCWithNanosecondsTrimsTrailingZerosLikeGo() {
        XCTAssertEqual(RFC3339Timestamp.format(epochSeconds: 0, nanoseconds: 0, local: false, fractional: true), "1970-01-01T00:00:00Z")
        XCTAssertEqual(RFC3339Timestamp.format(epochSeconds: 1_795_458_675, nanoseconds: 974_521_857, local: false, fractional: true),
                       "2026-11-23T18:31:15.974521857Z")
        XCTAssertEqual(RFC3339Timestamp.format(epochSeconds: 1_795_458_675, nanoseconds: 500_000_000, local: false, fractional: true),
                       "2026-11-23T18:31:15.5Z")
        XCTAssertEqual(RFC3339Timestamp.format(epochSeconds: 1_795_458_675, nanoseconds: 1_000, local: false, fractional: true),
                       "2026-11-23T18:31:15.000001Z")
        XCTAssertEqual(RFC3339Timestamp.format(epochSeconds: 1_795_458_675, nanoseconds: 974_521_857, local: false, fractional: false),
                       "2026-11-23T18:31:15Z")
    }

    func testUTCFieldsAreGlibcs() {
        // Leap days (2000, 2024), non-leap centuries (1900, 2100), before 1970, the end of
        // 32-bit time, and a spread of seconds in between.
        var times = [-2_208_988_800, -86_401, -86_400, -1, 0, 951_782_400, 951_868_799, 1_709_164_800,
                     2_147_483_647, 4_107_542_400, 4_107_628_800]
        var value = 12_345
        for _ in 0..<2000 {
            value = (value &* 1_103_515_245 &+ 12_345) & 0x7fff_ffff
            times.append(value * 3 - 1_000_000_000)
        }
        for seconds in times {
            var time = time_t(seconds)
            var expected = tm()
            gmtime_r(&time, &expected)
            let actual = CivilTime.utc(seconds)
            XCTAssertEqual([actual.tm_year, actual.tm_mon, actual.tm_mday, actual.tm_hour, actual.tm_min, actual.tm_sec],
                           [expected.tm_year, expected.tm_mon, expected.tm_mday, expected.tm_hour, expected.tm_min, expected.tm_sec],
                           "\(seconds)")
        }
    }

    func testLocalTimeCarriesTheOffset() {
        let saved = getenv("TZ").map { String(cString: $0) }
        defer {
            if let saved { setenv("TZ", saved, 1) } else { unsetenv("TZ") }
            tzset()
        }
        setenv("TZ", "Europe/Berlin", 1)
        tzset()
        XCTAssertEqual(RFC3339Timestamp.format(epochSeconds: 1_795_458_675, nanoseconds: 0, local: true, fractional: false),
                       "2026-11-23T19:31:15+01:00")
        setenv("TZ", "America/St_Johns", 1)
        tzset()
        XCTAssertEqual(RFC3339Timestamp.format(epochSeconds: 1_795_458_675, nanoseconds: 0, local: true, fractional: false),
                       "2026-11-23T15:01:15-03:30")
        setenv("TZ", "UTC", 1)
        tzset()
        XCTAssertEqual(RFC3339Timestamp.format(epochSeconds: 1_795_458_675, nanoseconds: 0, local: true, fractional: false),
                       "2026-11-23T18:31:15Z")
    }

    func testNowFormsParse() {
        XCTAssertNotNil(RFC3339Timestamp.nowUTCNano().range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$"#, options: .regularExpression))
        XCTAssertNotNil(RFC3339Timestamp.nowLocalSeconds().range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$"#, options: .regularExpression))
    }
}
