import Foundation
import Synchronization
import XCTest
@testable import HullCore

final class StateStoreTests: XCTestCase {
    private var base = ""
    private var store = StateStore(root: "/nonexistent")

    override func setUpWithError() throws {
        base = FileManager.default.temporaryDirectory.path + "/hull-state-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        store = StateStore(root: base + "/run/hull")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: base)
    }

    private func record(_ id: String, pid: Int32 = 0) -> ContainerRecord {
        ContainerRecord(
            id: id, bundle: "/bundles/\(id)", rootfs: "/bundles/\(id)/rootfs", pid: pid, pidStartTime: 77,
            created: "2026-11-23T18:31:15.974521857Z", owner: "root", annotations: ["a": "b"],
            cgroupPaths: ["": "/sys/fs/cgroup/hull/\(id)"], status: .created)
    }

    private func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try XCTUnwrap(attributes[.posixPermissions] as? Int)
    }

    private func entries(_ path: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }

    func testCreateMakesRootAndContainerDirectoryWithModes() throws {
        let oldMask = umask(0o077)
        defer { umask(oldMask) }
        let path = try store.create(id: "c1")
        XCTAssertEqual(path, store.root + "/c1")
        XCTAssertEqual(path, store.directory(id: "c1"))
        XCTAssertEqual(try mode(store.root), 0o700)
        XCTAssertEqual(try mode(base + "/run"), 0o700)
        XCTAssertEqual(try mode(path), 0o711)
        XCTAssertTrue(store.exists(id: "c1"))
        XCTAssertFalse(store.exists(id: "c2"))
    }

    func testCreateOfExistingIDFails() throws {
        try store.create(id: "c1")
        XCTAssertThrowsError(try store.create(id: "c1")) { error in
            XCTAssertEqual(error as? HullError, HullError(#"container "c1" already exists"#))
        }
    }

    func testCreateValidatesID() {
        XCTAssertThrowsError(try store.create(id: "../escape")) { error in
            XCTAssertEqual(error as? HullError, HullError(#"invalid container ID "../escape": only [a-zA-Z0-9_+.-] are allowed"#))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: base + "/run/escape"))
    }

    func testCreateReportsIDsTooLongForADirectoryName() {
        XCTAssertThrowsError(try store.create(id: String(repeating: "x", count: 300))) { error in
            XCTAssertEqual(error as? HullError, HullError("invalid container ID (300 bytes): too long for a directory name"))
        }
    }

    func testConcurrentCreatesOfOneIDHaveExactlyOneWinner() throws {
        let store = self.store
        let winners = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            if (try? store.create(id: "race")) != nil { winners.withLock { $0 += 1 } }
        }
        XCTAssertEqual(winners.withLock { $0 }, 1)
    }

    func testSaveAndLoadRoundTrip() throws {
        try store.create(id: "c1")
        let saved = record("c1", pid: 1234)
        try store.save(saved)
        XCTAssertEqual(try store.load(id: "c1"), saved)
        XCTAssertEqual(try mode(store.stateFilePath(id: "c1")), 0o600)
        // The file is plain JSON with the documented keys.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: store.stateFilePath(id: "c1")))) as? [String: Any]
        XCTAssertEqual(Set(try XCTUnwrap(json).keys),
                       ["id", "bundle", "rootfs", "pid", "pidStartTime", "created", "owner", "annotations", "cgroupPaths", "status"])
        XCTAssertEqual(json?["status"] as? String, "created")
    }

    /// The tree reader `load` uses for records as hull writes them gives what JSONDecoder gives,
    /// and leaves anything else (here a pid spelled 1e3) to JSONDecoder.
    func testStateTreeReadEqualsJSONDecoderAndDeclinesOtherSpellings() throws {
        var original = record("t1", pid: 42)
        original.laterHooks = ["poststop"]
        let bytes = Array(try JSONEncoder().encode(original))
        let tree = try JSONParser.parse(bytes)
        XCTAssertEqual(ContainerRecord(stateTree: tree), try JSONDecoder().decode(ContainerRecord.self, from: Data(bytes)))
        XCTAssertEqual(ContainerRecord(stateTree: tree), original)
        let other = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\"pid\":42", with: "\"pid\":1e3")
        XCTAssertNotEqual(other, String(decoding: bytes, as: UTF8.self))
        XCTAssertNil(ContainerRecord(stateTree: try JSONParser.parse(Array(other.utf8))))
    }

    /// state.json as hull writes it is what JSONEncoder wrote before, with sorted keys: as data,
    /// and read back the same by both readers.
    func testStateTreeWriteEqualsJSONEncoderWithSortedKeys() throws {
        for unit in [nil, "hull-t2.scope"] {
            var original = record("t2", pid: 7)
            original.annotations = ["z": "last", "a/b": "first \"quoted\""]
            original.cgroupPaths = ["memory": "/sys/fs/cgroup/memory/t2", "": "/sys/fs/cgroup/unified/t2"]
            original.laterHooks = unit == nil ? nil : ["poststart", "poststop"]
            original.systemdUnit = unit
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let written = Array(JSONWriter.compact(original.stateTree).utf8)
            let encoded = Array(try encoder.encode(original))
            XCTAssertEqual(try JSONParser.parse(written), try JSONParser.parse(encoded))
            XCTAssertEqual(ContainerRecord(stateTree: try JSONParser.parse(written)), original)
            XCTAssertEqual(try JSONDecoder().decode(ContainerRecord.self, from: Data(written)), original)
        }
    }

    func testSaveReplacesAtomicallyAndLeavesNoTemporaryFile() throws {
        try store.create(id: "c1")
        var current = record("c1")
        for pid in 1...20 {
            current.pid = Int32(pid)
            try store.save(current)
            XCTAssertEqual(try entries(store.directory(id: "c1")), ["state.json"])
        }
        XCTAssertEqual(try store.load(id: "c1").pid, 20)
    }

    func testSaveKeepsOldStateWhenTheTemporaryFileCannotBeWritten() throws {
        try store.create(id: "c1")
        try store.save(record("c1", pid: 1))
        // A directory where the temporary file would go makes open() fail.
        try FileManager.default.createDirectory(atPath: store.stateFilePath(id: "c1") + ".tmp-\(getpid())", withIntermediateDirectories: false)
        XCTAssertThrowsError(try store.save(record("c1", pid: 2))) { error in
            XCTAssertTrue(String(describing: error).hasPrefix("open " + store.stateFilePath(id: "c1") + ".tmp-"), "\(error)")
        }
        XCTAssertEqual(try store.load(id: "c1").pid, 1)
    }

    func testSaveWithoutDirectoryFails() {
        XCTAssertThrowsError(try store.save(record("ghost"))) { error in
            XCTAssertEqual(error as? HullError, HullError(#"container "ghost" does not exist"#))
        }
    }

    func testLoadOfUnknownIDFails() throws {
        XCTAssertThrowsError(try store.load(id: "nope")) { error in
            XCTAssertEqual(error as? HullError, HullError(#"container "nope" does not exist"#))
        }
        // A directory without state.json (create has not saved yet) is not a container yet.
        try store.create(id: "half")
        XCTAssertThrowsError(try store.load(id: "half")) { error in
            XCTAssertEqual(error as? HullError, HullError(#"container "half" does not exist"#))
        }
    }

    func testLoadValidatesID() {
        XCTAssertThrowsError(try store.load(id: "a/b")) { error in
            XCTAssertEqual(error as? HullError, HullError(#"invalid container ID "a/b": only [a-zA-Z0-9_+.-] are allowed"#))
        }
    }

    func testLoadOfCorruptStateNamesTheFile() throws {
        try store.create(id: "bad")
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: store.stateFilePath(id: "bad")))
        XCTAssertThrowsError(try store.load(id: "bad")) { error in
            let message = String(describing: error)
            XCTAssertTrue(message.hasPrefix(store.stateFilePath(id: "bad") + ": invalid state: "), message)
            XCTAssertFalse(message.contains("\n"), message)
        }
    }

    func testLoadRejectsStateOfAnotherID() throws {
        try store.create(id: "one")
        try store.save(record("one"))
        try store.create(id: "two")
        try FileManager.default.copyItem(atPath: store.stateFilePath(id: "one"), toPath: store.stateFilePath(id: "two"))
        XCTAssertThrowsError(try store.load(id: "two")) { error in
            XCTAssertEqual(error as? HullError,
                           HullError(#"\#(store.stateFilePath(id: "two")): id "one" does not match the directory name "two""#))
        }
    }

    func testListIsSortedAndSkipsDirectoriesWithoutState() throws {
        for id in ["b", "a", "c", "B"] {
            try store.create(id: id)
            try store.save(record(id))
        }
        try store.create(id: "creating-without-state")
        XCTAssertTrue(FileManager.default.createFile(atPath: store.root + "/stray-file", contents: Data()))
        try FileManager.default.createDirectory(atPath: store.root + "/not:an:id", withIntermediateDirectories: false)
        XCTAssertEqual(store.list().map(\.id), ["B", "a", "b", "c"])
    }

    func testListOfMissingRootIsEmpty() {
        XCTAssertEqual(StateStore(root: base + "/missing").list(), [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: base + "/missing"))
    }

    func testRemoveDeletesTheWholeTreeWithoutFollowingSymlinks() throws {
        try store.create(id: "c1")
        try store.save(record("c1"))
        let directory = store.directory(id: "c1")
        XCTAssertEqual(mkfifo(store.execFifoPath(id: "c1"), 0o622), 0)
        try FileManager.default.createDirectory(atPath: directory + "/sub/deeper", withIntermediateDirectories: true)
        XCTAssertTrue(FileManager.default.createFile(atPath: directory + "/sub/deeper/file", contents: Data("x".utf8)))
        let outside = base + "/outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: false)
        XCTAssertTrue(FileManager.default.createFile(atPath: outside + "/keep", contents: Data("keep".utf8)))
        try FileManager.default.createSymbolicLink(atPath: directory + "/link", withDestinationPath: outside)

        try store.remove(id: "c1")
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory))
        XCTAssertEqual(try entries(store.root), [])
        XCTAssertEqual(try String(contentsOfFile: outside + "/keep", encoding: .utf8), "keep")
        XCTAssertThrowsError(try store.remove(id: "c1")) { error in
            XCTAssertEqual(error as? HullError, HullError(#"container "c1" does not exist"#))
        }
    }

    func testRelativeRootIsMadeAbsolute() throws {
        let cwd = FileManager.default.currentDirectoryPath
        XCTAssertEqual(StateStore(root: "rel/dir/").root, (cwd == "/" ? "" : cwd) + "/rel/dir")
        XCTAssertEqual(StateStore(root: "/run/x/").root, "/run/x")
        XCTAssertEqual(StateStore().root, "/run/hull")
    }

    func testPaths() {
        XCTAssertEqual(store.stateFilePath(id: "x"), store.root + "/x/state.json")
        XCTAssertEqual(store.execFifoPath(id: "x"), store.root + "/x/exec.fifo")
    }
}
