import XCTest
@testable import HullCore

/// The quick parse of engines' hot-path command lines, and what it leaves to the full parser.
final class QuickArgumentsTests: XCTestCase {
    private func parse(_ line: String) -> QuickArguments? {
        QuickArguments.parse(line.split(separator: " ").map(String.init))
    }

    func testContainerdCreate() {
        let quick = parse("--root /run/containerd/runc/k8s.io --log /b/log.json --log-format json create --bundle /b --pid-file /b/init.pid --console-socket /tmp/c.sock abc")
        var launch = QuickArguments.Launch()
        launch.id = "abc"
        launch.bundle = "/b"
        launch.pidFile = "/b/init.pid"
        launch.consoleSocket = "/tmp/c.sock"
        XCTAssertEqual(quick?.command, .create(launch))
        XCTAssertEqual(quick?.global.root, "/run/containerd/runc/k8s.io")
        XCTAssertEqual(quick?.global.log, "/b/log.json")
        XCTAssertEqual(quick?.global.logFormat, "json")
        XCTAssertEqual(quick?.global.debug, false)
    }

    func testInlineValuesAndShortFlags() {
        let quick = parse("--root=/r --debug run -b /b -d --keep --no-pivot --preserve-fds=2 web")
        var launch = QuickArguments.Launch()
        launch.id = "web"
        launch.bundle = "/b"
        launch.noPivot = true
        launch.preserveFds = 2
        XCTAssertEqual(quick?.command, .run(launch, detach: true, keep: true))
        XCTAssertEqual(quick?.global.root, "/r")
        XCTAssertEqual(quick?.global.debug, true)
    }

    func testTheCommandsThatCloneIntoContainersAreMarked() {
        XCTAssertEqual(parse("create web")?.clonesIntoContainers, true)
        XCTAssertEqual(parse("run web")?.clonesIntoContainers, true)
        XCTAssertEqual(parse("exec -p p.json web")?.clonesIntoContainers, true)
        XCTAssertEqual(parse("state web")?.clonesIntoContainers, false)
        XCTAssertEqual(parse("delete web")?.clonesIntoContainers, false)
    }

    func testVersion() {
        XCTAssertEqual(parse("--version")?.command, .version)
        XCTAssertEqual(parse("-v")?.command, .version)
        XCTAssertNil(parse("--version --debug"))
    }

    func testLifecycleCommands() {
        XCTAssertEqual(parse("state web")?.command, .state(id: "web"))
        XCTAssertEqual(parse("start web")?.command, .start(id: "web"))
        XCTAssertEqual(parse("pause web")?.command, .pause(id: "web"))
        XCTAssertEqual(parse("resume web")?.command, .resume(id: "web"))
        XCTAssertEqual(parse("kill web")?.command, .kill(id: "web", signal: "SIGTERM", all: false))
        XCTAssertEqual(parse("kill --all web 9")?.command, .kill(id: "web", signal: "9", all: true))
        XCTAssertEqual(parse("delete -f web")?.command, .delete(id: "web", force: true))
        XCTAssertEqual(parse("delete web")?.command, .delete(id: "web", force: false))
    }

    func testEngineExec() {
        var exec = ExecArguments()
        exec.id = "web"
        exec.process = "/tmp/p.json"
        exec.detach = true
        exec.pidFile = "/tmp/e.pid"
        XCTAssertEqual(parse("exec --process /tmp/p.json --detach --pid-file /tmp/e.pid web")?.command, .exec(exec))
    }

    func testExecOfACommand() {
        var exec = ExecArguments()
        exec.id = "web"
        exec.command = ["cat", "/etc/hostname"]
        exec.tty = true
        exec.env = ["A=1", "B=2"]
        exec.user = "1000:1000"
        exec.cwd = "/tmp"
        XCTAssertEqual(parse("exec -t -e A=1 --env=B=2 -u 1000:1000 --cwd /tmp web cat /etc/hostname")?.command, .exec(exec))
    }

    func testList() {
        XCTAssertEqual(parse("list")?.command, .list(format: .table, quiet: false))
        XCTAssertEqual(parse("--root /r list --format json")?.command, .list(format: .json, quiet: false))
        XCTAssertEqual(parse("list -f json -q")?.command, .list(format: .json, quiet: true))
        XCTAssertEqual(parse("list --quiet")?.command, .list(format: .table, quiet: true))
        XCTAssertEqual(parse("list")?.clonesIntoContainers, false)
    }

    func testSpec() {
        XCTAssertEqual(parse("spec")?.command, .spec(bundle: nil, rootless: false))
        XCTAssertEqual(parse("spec -b /b --rootless")?.command, .spec(bundle: "/b", rootless: true))
        XCTAssertEqual(parse("spec --bundle=/b")?.command, .spec(bundle: "/b", rootless: false))
        XCTAssertEqual(parse("spec")?.clonesIntoContainers, false)
    }

    func testEverythingElseGoesToTheFullParser() {
        for line in [
            "", "--help", "state", "state --help", "state web extra", "state -x web", "state --version",
            "--root", "--systemd-cgroup state web", "--rootless true state web", "list --format yaml", "list -f", "list web", "list -qf json",
            "spec --help", "spec web", "spec --rootless=true", "spec -b", "--rootless true spec",
            "create", "create --bundle", "create --bundle /b --unknown web", "create -bd web",
            "create --detach web", "create a b", "run --preserve-fds -1 web", "kill web KILL extra",
            "kill -s KILL web", "delete web other", "create -b=/b web", "exec web ls -l", "exec -p p.json web ls",
            "exec --cap CAP_KILL web id", "exec web -- ls", "exec web", "exec --preserve-fds 1 web ls",
            "state --root /r web", "-- state web",
        ] {
            XCTAssertNil(parse(line), line)
        }
    }
}
