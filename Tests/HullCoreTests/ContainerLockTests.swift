import Foundation
import Synchronization
import XCTest
@testable import HullCore

final class ContainerLockTests: XCTestCase {
    private var base = ""
    private var store = StateStore(root: "/nonexistent")

    override func setUpWithError() throws {
        base = FileManager.default.temporaryDirectory.path + "/hull-lock-tests-\(UUID().uuidString)"
        store = StateStore(root: base)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: base)
    }

    private func inode(_ path: String) -> UInt64 {
        var info = stat()
        return lstat(path, &info) == 0 ? UInt64(info.st_ino) : 0
    }

    /// Runs `body` on another thread and returns a handle to wait for it.
    private func background(_ body: @escaping @Sendable () -> Void) -> DispatchGroup {
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group, execute: body)
        return group
    }

    func testSecondLockWaitsForTheFirst() throws {
        try store.create(id: "c")
        let store = self.store
        let events = Mutex<[String]>([])
        let first = try store.lock(id: "c")
        let waiter = background {
            let second = try? store.lock(id: "c")
            events.withLock { $0.append(second == nil ? "second failed" : "second locked") }
            second?.unlock()
        }
        usleep(300_000)
        events.withLock { $0.append("first unlocks") }
        first.unlock()
        XCTAssertEqual(waiter.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(events.withLock { $0 }, ["first unlocks", "second locked"])
    }

    func testLockFileDescriptorIsCloseOnExecAndUnlockIsIdempotent() throws {
        try store.create(id: "c")
        let lock = try store.lock(id: "c")
        XCTAssertEqual(lock.directory, store.directory(id: "c"))
        XCTAssertEqual(lock.id, "c")
        XCTAssertNotEqual(fcntl(lock.fileDescriptor, F_GETFD) & FD_CLOEXEC, 0)
        lock.unlock()
        XCTAssertEqual(lock.fileDescriptor, -1)
        lock.unlock()
        // Released: another lock can be taken at once.
        XCTAssertNoThrow(try store.lock(id: "c").unlock())
    }

    func testWaiterOnADeletedContainerSeesThatItDoesNotExist() throws {
        try store.create(id: "c")
        let store = self.store
        let outcome = Mutex<String>("")
        let first = try store.lock(id: "c")
        let waiter = background {
            do {
                _ = try store.lock(id: "c")
                outcome.withLock { $0 = "locked" }
            } catch {
                outcome.withLock { $0 = String(describing: error) }
            }
        }
        usleep(200_000)
        try store.remove(id: "c")
        first.unlock()
        XCTAssertEqual(waiter.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(outcome.withLock { $0 }, #"container "c" does not exist"#)
        // No lock file or directory is left behind.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: store.root), [])
    }

    func testWaiterOnARecreatedContainerLocksTheNewDirectory() throws {
        try store.create(id: "c")
        let store = self.store
        let lockedInode = Mutex<UInt64>(0)
        let first = try store.lock(id: "c")
        let waiter = background {
            guard let lock = try? store.lock(id: "c") else { return }
            var info = stat()
            fstat(lock.fileDescriptor, &info)
            lockedInode.withLock { $0 = UInt64(info.st_ino) }
            lock.unlock()
        }
        usleep(200_000)
        try store.remove(id: "c")
        // Keep the old inode number from being reused for the new directory.
        try store.create(id: "placeholder")
        try store.create(id: "c")
        first.unlock()
        XCTAssertEqual(waiter.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(lockedInode.withLock { $0 }, inode(store.directory(id: "c")))
    }

    func testLockOfUnknownContainerFails() {
        XCTAssertThrowsError(try store.lock(id: "nope")) { error in
            XCTAssertEqual(error as? HullError, HullError(#"container "nope" does not exist"#))
        }
        XCTAssertThrowsError(try store.lock(id: "..")) { error in
            XCTAssertEqual(error as? HullError, HullError(#"invalid container ID "..": must not be "." or "..""#))
        }
    }

    func testCreateLockedHoldsTheLockAndWithLockReleasesIt() throws {
        let lock = try store.createLocked(id: "c")
        XCTAssertTrue(store.exists(id: "c"))
        // Another open file description cannot take the lock while it is held.
        let probe = open(store.directory(id: "c"), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { close(probe) }
        XCTAssertEqual(flock(probe, LOCK_EX | LOCK_NB), -1)
        XCTAssertEqual(errno, EWOULDBLOCK)
        lock.unlock()
        let value = try store.withLock(id: "c") { held -> Int32 in
            XCTAssertEqual(flock(probe, LOCK_EX | LOCK_NB), -1)
            return held.fileDescriptor
        }
        XCTAssertGreaterThanOrEqual(value, 0)
        XCTAssertEqual(flock(probe, LOCK_EX | LOCK_NB), 0)
    }
}
