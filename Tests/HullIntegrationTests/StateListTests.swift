import Foundation
import HullCore
import XCTest

/// `hull state` and `hull list` against a state root the test fills through `StateStore`.
final class StateListTests: XCTestCase {
    private let hull = HullRunner()
    private var base = ""
    private var root = ""
    private var store = StateStore(root: "/nonexistent")
    /// The exec fifos this test holds open, as a waiting init does.
    private var fifos: [Int32] = []

    override func setUpWithError() throws {
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: hull.binary), "build hull first: \(hull.binary)")
        base = FileManager.default.temporaryDirectory.path + "/hull-statelist-\(UUID().uuidString)"
        root = base + "/root"
        store = StateStore(root: root)
    }

    override func tearDownWithError() throws {
        fifos.forEach { close($0) }
        try? FileManager.default.removeItem(atPath: base)
    }

    /// A container whose "init process" is this test process: alive, with its real start time.
    @discardableResult
    private func addLiveContainer(_ id: String, fifo: Bool, annotations: [String: String] = [:]) throws -> ContainerRecord {
        let own = try XCTUnwrap(ProcStat.read(pid: getpid()))
        let record = ContainerRecord(
            id: id, bundle: "/bundles/\(id)", rootfs: "/bundles/\(id)/rootfs", pid: getpid(), pidStartTime: own.startTime,
            created: "2026-11-23T18:31:15.974521857Z", owner: "root", annotations: annotations, status: .created)
        try store.create(id: id)
        try store.save(record)
        if fifo {
            XCTAssertEqual(mkfifo(store.execFifoPath(id: id), 0o622), 0)
            fifos.append(open(store.execFifoPath(id: id), O_RDWR | O_CLOEXEC))
        }
        return record
    }

    private func addStoppedContainer(_ id: String) throws {
        try store.create(id: id)
        try store.save(ContainerRecord(
            id: id, bundle: "/bundles/\(id)", rootfs: "/bundles/\(id)/rootfs", pid: 0, pidStartTime: 0,
            created: "2026-11-23T18:00:00Z", owner: "", status: .created))
    }

    // MARK: hull state

    func testStatePrintsRuncShapedJSON() throws {
        try addLiveContainer("web", fifo: true, annotations: ["org.example/key": "v"])
        let result = hull.run(["--root", root, "state", "web"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "")
        XCTAssertEqual(result.stdout, """
        {
          "ociVersion": "\(HullVersion.specVersion)",
          "id": "web",
          "pid": \(getpid()),
          "status": "created",
          "bundle": "/bundles/web",
          "rootfs": "/bundles/web/rootfs",
          "created": "2026-11-23T18:31:15.974521857Z",
          "owner": "root",
          "annotations": {
            "org.example/key": "v"
          }
        }
        """)
    }

    func testStateDerivesRunningAndStopped() throws {
        try addLiveContainer("live", fifo: false)
        try addStoppedContainer("dead")
        let live = try decodeState(hull.run(["--root", root, "state", "live"]).stdout)
        XCTAssertEqual(live.status, .running)
        XCTAssertEqual(live.pid, getpid())
        let dead = try decodeState(hull.run(["--root", root, "state", "dead"]).stdout)
        XCTAssertEqual(dead.status, .stopped)
        XCTAssertEqual(dead.pid, 0)
    }

    func testGlobalFlagsWorkBeforeAndAfterTheSubcommand() throws {
        try addLiveContainer("c", fifo: true)
        for args in [["--root", root, "state", "c"], ["state", "--root", root, "c"], ["state", "c", "--root", root],
                     ["--root=\(root)", "--log-format", "json", "state", "c"]] {
            let result = hull.run(args)
            XCTAssertEqual(result.status, 0, "\(args): \(result.stderr)")
            XCTAssertEqual(try decodeState(result.stdout).id, "c", "\(args)")
        }
    }

    func testStateOfUnknownContainerFails() {
        let result = hull.run(["--root", root, "state", "nope"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stdout, "")
        XCTAssertEqual(result.stderr, "container \"nope\" does not exist\n")
    }

    func testStateOfInvalidIDFails() {
        let result = hull.run(["--root", root, "state", "a/b"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr, "invalid container ID \"a/b\": only [a-zA-Z0-9_+.-] are allowed\n")
    }

    func testStateWithoutIDIsAUsageError() {
        let result = hull.run(["--root", root, "state"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("Missing expected argument '<container-id>'"), result.stderr)
    }

    // MARK: hull list

    func testListTable() throws {
        try addLiveContainer("b-created", fifo: true)
        try addLiveContainer("a-running", fifo: false)
        try addStoppedContainer("c-stopped")
        let result = hull.run(["--root", root, "list"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let pid = String(getpid())
        let pidColumn = pid + String(repeating: " ", count: max(12, pid.count + 3) - pid.count)
        XCTAssertEqual(result.stdout, """
        ID          PID         STATUS      BUNDLE               CREATED                          OWNER
        a-running   \(pidColumn)running     /bundles/a-running   2026-11-23T18:31:15.974521857Z   root
        b-created   \(pidColumn)created     /bundles/b-created   2026-11-23T18:31:15.974521857Z   root
        c-stopped   \("0".padding(toLength: pidColumn.count, withPad: " ", startingAt: 0))stopped     /bundles/c-stopped   2026-11-23T18:00:00Z\(String(repeating: " ", count: 13))

        """)
    }

    func testListJSONAndQuiet() throws {
        try addLiveContainer("one", fifo: true)
        try addStoppedContainer("two")
        let json = hull.run(["--root", root, "list", "-f", "json"])
        XCTAssertEqual(json.status, 0, json.stderr)
        XCTAssertTrue(json.stdout.hasSuffix("}]\n"))
        XCTAssertEqual(json.stdout.filter { $0 == "\n" }.count, 1)
        let states = try JSONDecoder().decode([ContainerState].self, from: Data(json.stdout.utf8))
        XCTAssertEqual(states.map(\.id), ["one", "two"])
        XCTAssertEqual(states.map(\.status), [.created, .stopped])
        XCTAssertEqual(states.map(\.pid), [getpid(), 0])
        XCTAssertEqual(hull.run(["--root", root, "list", "--format", "json"]).stdout, json.stdout)

        for args in [["list", "-q"], ["list", "--quiet"], ["list", "-q", "-f", "json"]] {
            let quiet = hull.run(["--root", root] + args)
            XCTAssertEqual(quiet.status, 0, quiet.stderr)
            XCTAssertEqual(quiet.stdout, "one\ntwo\n", "\(args)")
        }
    }

    func testListOfEmptyOrMissingRoot() {
        let table = hull.run(["--root", root, "list"])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertEqual(table.stdout, "ID          PID         STATUS      BUNDLE      CREATED     OWNER\n")
        XCTAssertEqual(hull.run(["--root", root, "list", "-f", "json"]).stdout, "null\n")
        XCTAssertEqual(hull.run(["--root", root, "list", "-q"]).stdout, "")
        XCTAssertFalse(FileManager.default.fileExists(atPath: root))
    }

    func testListWithUnknownFormatIsAUsageError() {
        let result = hull.run(["--root", root, "list", "-f", "yaml"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("'yaml'"), result.stderr)
    }

    // MARK: logging and global flags

    func testJSONLogGetsTheErrorEntry() throws {
        let log = base + "/log.json"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        let result = hull.run(["--root", root, "--log", log, "--log-format", "json", "state", "nope"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr, "container \"nope\" does not exist\n")
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 1)
        let entry = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: String])
        XCTAssertEqual(entry["level"], "error")
        XCTAssertEqual(entry["msg"], "container \"nope\" does not exist")
        XCTAssertEqual(Set(entry.keys), ["level", "msg", "time"])
        XCTAssertTrue(lines[0].hasPrefix(#"{"level":"error","msg":"container \"nope\" does not exist","time":""#), String(lines[0]))

        // The log is appended to, never truncated.
        _ = hull.run(["--root", root, "--log", log, "--log-format", "json", "state", "other"])
        XCTAssertEqual(try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").count, 2)
    }

    func testTextLogGetsTheErrorEntry() throws {
        let log = base + "/log.txt"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        let result = hull.run(["state", "--log", log, "--root", root, "nope"])
        XCTAssertEqual(result.status, 1)
        let text = try String(contentsOfFile: log, encoding: .utf8)
        XCTAssertNotNil(text.range(of: #"^time="[^"]+" level=error msg="container \\"nope\\" does not exist"\n$"#, options: .regularExpression), text)
    }

    func testBadLogFormatIsAnError() {
        let result = hull.run(["--root", root, "--log-format", "xml", "list"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stdout, "")
        XCTAssertEqual(result.stderr, "--log-format: invalid value \"xml\" (expected text or json)\n")
    }

    func testUnopenableLogIsAnError() {
        let result = hull.run(["--root", root, "--log", base + "/missing-dir/log", "list"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr, "--log: \(base)/missing-dir/log: open: No such file or directory\n")
    }

    func testUnsupportedFlagsAreErrorsNotIgnored() {
        // --systemd-cgroup is accepted by every command, as by runc (SystemdCgroupTests).
        let systemd = hull.run(["--root", root, "--systemd-cgroup", "list", "-q"])
        XCTAssertEqual(systemd.status, 0, systemd.stderr)
        let bogus = hull.run(["--root", root, "--rootless", "maybe", "list"])
        XCTAssertEqual(bogus.status, 1)
        XCTAssertEqual(bogus.stderr, "--rootless: invalid value \"maybe\" (expected auto, true or false)\n")
        for value in ["auto", "true", "false"] {
            XCTAssertEqual(hull.run(["--root", root, "--rootless", value, "list", "-q"]).status, 0, value)
        }
    }

    func testDebugFlagIsAccepted() throws {
        try addLiveContainer("c", fifo: true)
        let result = hull.run(["--debug", "--root", root, "state", "c"])
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    private func decodeState(_ json: String) throws -> ContainerState {
        try JSONDecoder().decode(ContainerState.self, from: Data(json.utf8))
    }
}
