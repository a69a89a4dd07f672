import Foundation
import Glibc
import XCTest

/// 50 containers created, started, exec'd into, killed and deleted, 8 at a time: every
/// operation succeeds, each container is the one its ID names (its init runs its own `sleep
/// MARKER`, which `state` and an exec'd process both see), and afterwards nothing is left:
/// no state directory, cgroup, mount or process, and not one more open fd in the caller.
final class LoadTests: LifecycleTestCase {
    private let containers = 50
    private let parallel = 8

    /// One container of the load: its ID, its bundle (sharing the test bundle's rootfs) and the
    /// argument of its `sleep`, which no other process on the host has.
    fileprivate struct Subject {
        let id: String
        let bundle: String
        let marker: String
    }

    func testFiftyContainersThroughTheirWholeLifeConcurrently() throws {
        let fdsBefore = openDescriptorCount()
        let base = try makeScratchDirectory("load")
        // makeID: tearDown deletes whatever a failed run leaves.
        let prefix = "hullt-load-\(getpid())-"
        let subjects = try (0..<containers).map { index in
            try makeSubject(id: makeID("load"), marker: "\(getpid())\(100 + index)", in: base)
        }

        let failures = Failures()
        let worker = Worker(binary: runner.binary, root: root.path)
        let slots = DispatchSemaphore(value: parallel)
        let group = DispatchGroup()
        for subject in subjects {
            slots.wait()
            DispatchQueue.global().async(group: group) {
                defer { slots.signal() }
                if let failure = worker.lifecycle(of: subject) { failures.append(failure) }
            }
        }
        XCTAssertEqual(group.wait(timeout: .now() + 300), .success, "the load finished within 5 minutes")

        XCTAssertEqual(failures.all, [], "every operation succeeded")
        XCTAssertEqual(hull("list", "--quiet").stdout, "", "no container is left in the root")
        XCTAssertEqual(HostLeaks.cgroups(containing: prefix), [], "no cgroup is left")
        assertNoMounts(under: base)
        for subject in subjects {
            assertNoProcess(withArgsContaining: "sleep \(subject.marker)")
        }
        XCTAssertEqual(openDescriptorCount(), fdsBefore, "the caller holds no new file descriptor")
    }

    /// A bundle directory holding only config.json: the test bundle's, with its rootfs by
    /// absolute path and `sleep MARKER` as the process.
    private func makeSubject(id: String, marker: String, in base: String) throws -> Subject {
        let directory = base + "/" + id
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        let data = try Data(contentsOf: URL(fileURLWithPath: bundle.path + "/config.json"))
        var config = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        config["root"] = ["path": bundle.path + "/rootfs"]
        var process = try XCTUnwrap(config["process"] as? [String: Any])
        process["args"] = ["sleep", marker]
        config["process"] = process
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: directory + "/config.json"))
        return Subject(id: id, bundle: directory, marker: marker)
    }

    private func openDescriptorCount() -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).count
    }
}

/// One container's whole life, run on a worker thread: the first thing that went wrong, or nil.
private struct Worker: Sendable {
    let binary: String
    let root: String

    /// create, start, state, exec, kill, wait for stopped, delete; the first thing that went
    /// wrong, or nil.
    func lifecycle(of subject: LoadTests.Subject) -> String? {
        let id = subject.id
        for command in [["create", "--bundle", subject.bundle, id], ["start", id]] {
            let result = hullOnce(command)
            guard result.status == 0 else { return "\(id): \(command[0]): \(result.stderr)" }
        }
        let state = hullOnce(["state", id])
        guard let pid = (try? JSONSerialization.jsonObject(with: Data(state.stdout.utf8)) as? [String: Any])?["pid"] as? Int
        else { return "\(id): state: \(state.stdout) \(state.stderr)" }
        guard waitUntil({ ProcFS.commandLine(Int32(pid)) == ["sleep", subject.marker] }) else {
            return "\(id): state's pid \(pid) is not this container's init: \(ProcFS.commandLine(Int32(pid)))"
        }
        let exec = hullOnce(["exec", id, "cat", "/proc/1/cmdline"])
        guard exec.status == 0, exec.stdout == "sleep\0\(subject.marker)\0" else {
            return "\(id): exec saw \(exec.stdout.debugDescription), status \(exec.status): \(exec.stderr)"
        }
        let kill = hullOnce(["kill", id, "KILL"])
        guard kill.status == 0 else { return "\(id): kill: \(kill.stderr)" }
        guard waitUntil({ (try? JSONSerialization.jsonObject(with: Data(hullOnce(["state", id]).stdout.utf8)) as? [String: Any])?["status"] as? String == "stopped" })
        else { return "\(id): never stopped after kill" }
        let delete = hullOnce(["delete", id])
        return delete.status == 0 ? nil : "\(id): delete: \(delete.stderr)"
    }

    private func hullOnce(_ args: [String]) -> (status: Int32, stdout: String, stderr: String) {
        ChildProcess.run(binary, ["--root", root] + args)
    }

    private func waitUntil(_ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if condition() { return true }
            usleep(10_000)
        }
        return false
    }
}

/// Failure messages collected from several threads.
private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []

    func append(_ message: String) {
        lock.lock()
        messages.append(message)
        lock.unlock()
    }

    var all: [String] {
        lock.lock()
        defer { lock.unlock() }
        return messages
    }
}
