import Foundation
import XCTest

/// systemd socket activation through hull, as runc does it: LISTEN_FDS fds reach the container
/// from fd 3 on, with LISTEN_FDS and LISTEN_PID=1 in its environment.
final class SocketActivationTests: LifecycleTestCase {
    func testListenFdsPassThrough() throws {
        bundle.setArgs(["sh", "-c", "echo $LISTEN_FDS $LISTEN_PID; cat <&3"])
        let marker = try makeScratchDirectory("listen") + "/socket-stand-in"
        try "activated\n".write(toFile: marker, atomically: true, encoding: .utf8)
        let id = makeID("listen")
        let script = "exec 3<\(marker); LISTEN_FDS=1 exec \(runner.binary) --root \(root.path) run --bundle \(bundle.path) \(id)"
        let result = try HostCommand.run("/bin/sh", ["-c", script])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "1 1\nactivated\n")
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }
}
