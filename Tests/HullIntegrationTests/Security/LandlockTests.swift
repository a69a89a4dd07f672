import Foundation
import Glibc
import XCTest

/// process.landlock reaching the kernel: what the container's process may read, write and bind.
final class LandlockTests: LifecycleTestCase {
    /// Reading only /bin and /proc, writing only /tmp (and /dev, for the shell's /dev/null),
    /// binding only TCP port 8080.
    private func confine() throws {
        bundle.setReadonlyRoot(false)
        try "secret\n".write(toFile: bundle.rootfs + "/root/secret", atomically: false, encoding: .utf8)
        setProcessField("landlock", [
            "ruleset": [
                "handledAccessFS": ["execute", "read_file", "read_dir", "write_file", "make_reg", "truncate"],
                "handledAccessNetwork": ["bind_tcp"],
            ],
            "rules": [
                "pathBeneath": [
                    ["allowedAccess": ["execute", "read_file", "read_dir"], "paths": ["/bin", "/proc"]],
                    ["allowedAccess": ["read_file", "read_dir", "write_file", "make_reg", "truncate"], "paths": ["/tmp", "/dev"]],
                ],
                "netPort": [["allowedAccess": ["bind_tcp"], "ports": [8080]]],
            ],
        ])
    }

    private let probe = """
        cat /root/secret 2>/dev/null && echo read-root; \
        echo x > /tmp/f && echo wrote-tmp; \
        echo x > /etc/f 2>/dev/null && echo wrote-etc; \
        ls /bin >/dev/null && echo read-bin; \
        nc -l -p 9090 -w 1 2>/dev/null; echo bind-9090=$?; \
        (nc -l -p 8080 -w 1 2>/dev/null & p=$!; sleep 0.3; kill $p 2>/dev/null && echo bind-8080-listening)
        """

    func testTheRulesetConfinesFilesAndPorts() throws {
        try confine()
        let result = runContainer(["sh", "-c", probe])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines, ["wrote-tmp", "read-bin", "bind-9090=1", "bind-8080-listening"], result.stdout)
    }

    func testExecInheritsTheRuleset() throws {
        try confine()
        bundle.setArgs(["sleep", "100"])
        let id = makeID("landlock-exec")
        XCTAssertEqual(hull("run", "-d", "--bundle", bundle.path, id).status, 0)
        let result = hull(["exec", id, "sh", "-c", probe])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout.split(separator: "\n").map(String.init),
                       ["wrote-tmp", "read-bin", "bind-9090=1", "bind-8080-listening"], result.stdout)
    }

    func testARuleForAPathThatDoesNotExistFailsCreate() throws {
        setProcessField("landlock", [
            "ruleset": ["handledAccessFS": ["read_file"]],
            "rules": ["pathBeneath": [["allowedAccess": ["read_file"], "paths": ["/nosuch"]]]],
        ])
        let id = makeID("landlock-missing")
        let result = hull("create", "--bundle", bundle.path, id)
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr, "process.landlock: open /nosuch for a pathBeneath rule: no such file or directory\n")
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }

    func testARuleAllowingAnUnhandledRightIsAConfigError() throws {
        setProcessField("landlock", [
            "ruleset": ["handledAccessFS": ["read_file"]],
            "rules": ["pathBeneath": [["allowedAccess": ["write_file"], "paths": ["/tmp"]]]],
        ])
        let id = makeID("landlock-unhandled")
        let result = hull("create", "--bundle", bundle.path, id)
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr, "config.json: process.landlock.rules.pathBeneath[0].allowedAccess[0]: \"write_file\" is not in process.landlock.ruleset.handledAccessFS\n")
        assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
    }
}
