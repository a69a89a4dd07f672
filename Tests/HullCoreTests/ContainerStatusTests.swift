import Foundation
import XCTest
@testable import HullCore

final class ContainerStatusTests: XCTestCase {
    private var base = ""
    private var store = StateStore(root: "/nonexistent")
    /// The exec fifo held open as a waiting init holds it, or -1.
    private var fifo: Int32 = -1

    override func setUpWithError() throws {
        base = FileManager.default.temporaryDirectory.path + "/hull-status-tests-\(UUID().uuidString)"
        store = StateStore(root: base)
        try store.create(id: "c")
    }

    override func tearDownWithError() throws {
        if fifo >= 0 { close(fifo) }
        try? FileManager.default.removeItem(atPath: base)
    }

    /// A record whose init process is this test process, with its real start time.
    private func liveRecord(status: ContainerStatus = .created) throws -> ContainerRecord {
        let own = try XCTUnwrap(ProcStat.read(pid: getpid()))
        return ContainerRecord(id: "c", bundle: "/b", rootfs: "/b/rootfs", pid: getpid(), pidStartTime: own.startTime, status: status)
    }

    /// The exec fifo, held open (read-write) when `waitedOn`, as the init holds it until `start`.
    private func makeFifo(waitedOn: Bool = true) {
        XCTAssertEqual(mkfifo(store.execFifoPath(id: "c"), 0o622), 0)
        if waitedOn { fifo = open(store.execFifoPath(id: "c"), O_RDWR | O_CLOEXEC) }
    }

    func testAliveWithFifoIsCreated() throws {
        makeFifo()
        XCTAssertEqual(store.status(of: try liveRecord()), .created)
    }

    /// `start` killed after it released the init but before it removed the fifo: the init has
    /// gone on (it no longer holds the fifo), so the container runs.
    func testAliveWithAFifoNobodyHoldsIsRunning() throws {
        makeFifo(waitedOn: false)
        XCTAssertEqual(store.status(of: try liveRecord()), .running)
    }

    func testAliveWithoutFifoIsRunning() throws {
        XCTAssertEqual(store.status(of: try liveRecord()), .running)
    }

    func testAliveWhileCreateIsRunningIsCreating() throws {
        makeFifo()
        XCTAssertEqual(store.status(of: try liveRecord(status: .creating)), .creating)
    }

    func testReusedPidIsStopped() throws {
        makeFifo()
        var record = try liveRecord()
        record.pidStartTime += 1
        XCTAssertEqual(store.status(of: record), .stopped)
    }

    func testNoInitProcessIsStopped() throws {
        var record = try liveRecord()
        record.pid = 0
        XCTAssertEqual(store.status(of: record), .stopped)
        record.status = .creating
        XCTAssertEqual(store.status(of: record), .stopped)
    }

    func testVanishedProcessIsStopped() throws {
        var record = try liveRecord()
        record.pid = Int32.max
        XCTAssertEqual(store.status(of: record), .stopped)
    }

    func testZombieIsStopped() throws {
        var child: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
        defer { argv.forEach { free($0) } }
        XCTAssertEqual(posix_spawn(&child, "/bin/true", nil, nil, argv, nil), 0)
        defer { var status: Int32 = 0; waitpid(child, &status, 0) }
        // Not reaped yet: the child becomes a zombie once it exits.
        var stat: ProcStat?
        for _ in 0..<500 {
            stat = ProcStat.read(pid: child)
            if stat?.state == "Z" { break }
            usleep(10_000)
        }
        let zombie = try XCTUnwrap(stat)
        XCTAssertEqual(zombie.state, "Z")
        makeFifo()
        let record = ContainerRecord(id: "c", bundle: "/b", rootfs: "/b/rootfs", pid: child, pidStartTime: zombie.startTime, status: .created)
        XCTAssertEqual(store.status(of: record), .stopped)
    }

    func testFreezerProbeIsTheExtensionPointForPaused() throws {
        let record = try liveRecord()
        let frozen = FreezerProbe { $0.id == "c" }
        XCTAssertEqual(store.status(of: record, freezer: frozen), .paused)
        XCTAssertEqual(store.status(of: record, freezer: .notSupported), .running)
        // A stopped container is stopped whatever the freezer says.
        var gone = record
        gone.pidStartTime += 1
        XCTAssertEqual(store.status(of: gone, freezer: frozen), .stopped)
    }

    func testStateReportsPidZeroOnceStopped() throws {
        var record = try liveRecord()
        record.annotations = ["k": "v"]
        let running = store.state(of: record)
        XCTAssertEqual(running.pid, getpid())
        XCTAssertEqual(running.status, .running)
        XCTAssertEqual(running.annotations, ["k": "v"])
        record.pidStartTime += 1
        let stopped = store.state(of: record)
        XCTAssertEqual(stopped.pid, 0)
        XCTAssertEqual(stopped.status, .stopped)
    }
}
