import Foundation
import XCTest

/// An OCI bundle in a fresh temporary directory: a busybox rootfs and a `config.json`.
///
/// The rootfs holds the host's static busybox as `/bin/busybox` with a symlink for every applet it
/// has (`/bin/sh`, `/bin/true`, `/bin/id`, `/bin/mount` ...), the directories a runtime mounts onto
/// (`/proc`, `/sys`, `/dev`, `/tmp`), and `/etc/passwd` + `/etc/group` with root and nobody (65534).
/// `config.json` starts as `runc spec`'s default (runc 1.1) with `terminal: false` and
/// `args: ["true"]`, and is edited through `config(_:)` or the helpers below.
///
///     let bundle = try BusyboxBundle()
///     bundle.setArgs(["sh", "-c", "echo hi"])
///     bundle.removeNamespace("network")
///     // hull run --bundle \(bundle.path) ID
///
/// The directory is deleted by `remove()` or when the bundle is released.
final class BusyboxBundle {
    /// The bundle directory (absolute): pass it as `--bundle`.
    let path: String
    /// `path + "/rootfs"`.
    var rootfs: String { path + "/rootfs" }
    /// `path + "/config.json"`.
    var configPath: String { path + "/config.json" }

    /// Where the host's busybox-static lives (Debian: /bin is a symlink to /usr/bin).
    static let hostBusybox = ["/usr/bin/busybox", "/bin/busybox"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    } ?? "/bin/busybox"

    /// Builds the rootfs and writes the default config. `args` replaces the default `["true"]`.
    init(args: [String] = ["true"]) throws {
        path = try TempDirectory.make(prefix: "hull-bundle-")
        do {
            try Self.buildRootfs(at: path + "/rootfs")
            var config = Self.defaultConfig()
            Self.setProcessField("args", to: args, in: &config)
            try Self.write(config, to: path + "/config.json")
        } catch {
            TempDirectory.remove(path)
            throw error
        }
    }

    deinit {
        remove()
    }

    /// Deletes the bundle (detaching any mount a test left inside it first). Safe to call twice.
    func remove() {
        TempDirectory.remove(path)
    }

    // MARK: config.json

    /// The current `config.json`, decoded.
    var configJSON: [String: Any] {
        guard let data = FileManager.default.contents(atPath: configPath),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            XCTFail("BusyboxBundle: cannot read \(configPath) as a JSON object")
            return [:]
        }
        return object
    }

    /// Reads `config.json`, lets `mutate` change it, and writes it back.
    func config(_ mutate: (inout [String: Any]) -> Void, file: StaticString = #filePath, line: UInt = #line) {
        var config = configJSON
        mutate(&config)
        do {
            try Self.write(config, to: configPath)
        } catch {
            XCTFail("BusyboxBundle: cannot write \(configPath): \(error)", file: file, line: line)
        }
    }

    /// Replaces `config.json` with exactly this text (for tests of malformed or odd configs).
    func writeRawConfig(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: configPath))
        } catch {
            XCTFail("BusyboxBundle: cannot write \(configPath): \(error)", file: file, line: line)
        }
    }

    // MARK: Common edits

    /// `process.args`.
    func setArgs(_ args: [String]) {
        config { Self.setProcessField("args", to: args, in: &$0) }
    }

    /// `process.env`, replaced wholesale (the default is PATH and TERM=xterm).
    func setEnv(_ env: [String]) {
        config { Self.setProcessField("env", to: env, in: &$0) }
    }

    /// Appends `entry` ("NAME=value") to `process.env`.
    func addEnv(_ entry: String) {
        config { config in
            let process = config["process"] as? [String: Any] ?? [:]
            Self.setProcessField("env", to: (process["env"] as? [String] ?? []) + [entry], in: &config)
        }
    }

    /// `process.cwd`.
    func setCwd(_ cwd: String) {
        config { Self.setProcessField("cwd", to: cwd, in: &$0) }
    }

    /// `process.terminal`.
    func setTerminal(_ terminal: Bool) {
        config { Self.setProcessField("terminal", to: terminal, in: &$0) }
    }

    /// `process.user`: uid, gid and, when given, additionalGids.
    func setUser(uid: Int, gid: Int, additionalGids: [Int]? = nil) {
        var user: [String: Any] = ["uid": uid, "gid": gid]
        if let additionalGids { user["additionalGids"] = additionalGids }
        config { Self.setProcessField("user", to: user, in: &$0) }
    }

    /// `hostname`; `nil` removes the field.
    func setHostname(_ hostname: String?) {
        config { $0["hostname"] = hostname }
    }

    /// `root.readonly` (the default config has a read-only root).
    func setReadonlyRoot(_ readonly: Bool) {
        config { config in
            var root = config["root"] as? [String: Any] ?? ["path": "rootfs"]
            root["readonly"] = readonly
            config["root"] = root
        }
    }

    /// Appends a mount to `mounts`; `options` is left out when nil.
    func addMount(destination: String, type: String, source: String, options: [String]? = nil) {
        var mount: [String: Any] = ["destination": destination, "type": type, "source": source]
        if let options { mount["options"] = options }
        config { $0["mounts"] = ($0["mounts"] as? [[String: Any]] ?? []) + [mount] }
    }

    /// Appends a bind mount of the host path `source` (`rbind` plus `extraOptions`, e.g. "ro").
    func addBindMount(source: String, destination: String, extraOptions: [String] = []) {
        addMount(destination: destination, type: "bind", source: source, options: ["rbind"] + extraOptions)
    }

    /// Drops every mount whose destination is `destination`.
    func removeMount(destination: String) {
        config { config in
            let mounts = config["mounts"] as? [[String: Any]] ?? []
            config["mounts"] = mounts.filter { $0["destination"] as? String != destination }
        }
    }

    /// Drops the namespace of this type ("pid", "network", "ipc", "uts", "mount", "user", "cgroup", "time").
    func removeNamespace(_ type: String) {
        editLinux { linux in
            let namespaces = linux["namespaces"] as? [[String: Any]] ?? []
            linux["namespaces"] = namespaces.filter { $0["type"] as? String != type }
        }
    }

    /// Adds a namespace of this type (replacing one of the same type); `path` joins an existing one.
    func addNamespace(_ type: String, path: String? = nil) {
        var namespace: [String: Any] = ["type": type]
        if let path { namespace["path"] = path }
        editLinux { linux in
            let namespaces = linux["namespaces"] as? [[String: Any]] ?? []
            linux["namespaces"] = namespaces.filter { $0["type"] as? String != type } + [namespace]
        }
    }

    /// `linux.cgroupsPath`.
    func setCgroupsPath(_ cgroupsPath: String) {
        editLinux { $0["cgroupsPath"] = cgroupsPath }
    }

    /// Sets `linux.resources.<key>` (e.g. "memory": ["limit": 67108864], "pids": ["limit": 32]).
    func setResource(_ key: String, _ value: [String: Any]) {
        editLinux { linux in
            var resources = linux["resources"] as? [String: Any] ?? [:]
            resources[key] = value
            linux["resources"] = resources
        }
    }

    /// Reads `linux`, lets `mutate` change it, and writes it back.
    func editLinux(_ mutate: (inout [String: Any]) -> Void) {
        config { config in
            var linux = config["linux"] as? [String: Any] ?? [:]
            mutate(&linux)
            config["linux"] = linux
        }
    }

    // MARK: Building

    /// runc 1.1's `runc spec` output with `terminal: false` and `args: ["true"]`.
    static func defaultConfig() -> [String: Any] {
        let capabilities = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]
        return [
            "ociVersion": "1.0.2-dev",
            "process": [
                "terminal": false,
                "user": ["uid": 0, "gid": 0],
                "args": ["true"],
                "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"],
                "cwd": "/",
                "capabilities": [
                    "bounding": capabilities, "effective": capabilities,
                    "permitted": capabilities, "ambient": capabilities,
                ],
                "rlimits": [["type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024]],
                "noNewPrivileges": true,
            ] as [String: Any],
            "root": ["path": "rootfs", "readonly": true],
            "hostname": "runc",
            "mounts": [
                ["destination": "/proc", "type": "proc", "source": "proc"],
                ["destination": "/dev", "type": "tmpfs", "source": "tmpfs",
                 "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]],
                ["destination": "/dev/pts", "type": "devpts", "source": "devpts",
                 "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]],
                ["destination": "/dev/shm", "type": "tmpfs", "source": "shm",
                 "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]],
                ["destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue",
                 "options": ["nosuid", "noexec", "nodev"]],
                ["destination": "/sys", "type": "sysfs", "source": "sysfs",
                 "options": ["nosuid", "noexec", "nodev", "ro"]],
                ["destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup",
                 "options": ["nosuid", "noexec", "nodev", "relatime", "ro"]],
            ] as [[String: Any]],
            "linux": [
                "resources": ["devices": [["allow": false, "access": "rwm"] as [String: Any]]],
                "namespaces": ["pid", "network", "ipc", "uts", "mount"].map { ["type": $0] },
                "maskedPaths": [
                    "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                    "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi",
                ],
                "readonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"],
            ] as [String: Any],
        ]
    }

    /// The applets the host busybox provides, from `busybox --list`.
    static func applets() throws -> [String] {
        let listed = try HostCommand.run(hostBusybox, ["--list"])
        guard listed.status == 0 else {
            throw HarnessError("\(hostBusybox) --list: exit \(listed.status): \(listed.stderr)")
        }
        return listed.stdout.split(separator: "\n").map(String.init).filter { !$0.isEmpty && !$0.contains("/") }
    }

    private static func buildRootfs(at rootfs: String) throws {
        let files = FileManager.default
        for directory in ["bin", "proc", "sys", "dev", "etc", "root", "tmp", "usr/bin"] {
            try files.createDirectory(atPath: rootfs + "/" + directory, withIntermediateDirectories: true)
        }
        try files.setAttributes([.posixPermissions: 0o1777], ofItemAtPath: rootfs + "/tmp")
        try files.setAttributes([.posixPermissions: 0o700], ofItemAtPath: rootfs + "/root")
        try files.copyItem(atPath: hostBusybox, toPath: rootfs + "/bin/busybox")
        try files.setAttributes([.posixPermissions: 0o755], ofItemAtPath: rootfs + "/bin/busybox")
        for applet in try applets() where applet != "busybox" {
            try files.createSymbolicLink(atPath: rootfs + "/bin/" + applet, withDestinationPath: "busybox")
        }
        // Scripts written as `#!/usr/bin/env sh` find env where they expect it.
        try files.createSymbolicLink(atPath: rootfs + "/usr/bin/env", withDestinationPath: "/bin/busybox")
        try Data("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n".utf8)
            .write(to: URL(fileURLWithPath: rootfs + "/etc/passwd"))
        try Data("root:x:0:\nnobody:x:65534:\n".utf8).write(to: URL(fileURLWithPath: rootfs + "/etc/group"))
    }

    private static func setProcessField(_ key: String, to value: Any, in config: inout [String: Any]) {
        var process = config["process"] as? [String: Any] ?? [:]
        process[key] = value
        config["process"] = process
    }

    private static func write(_ config: [String: Any], to path: String) throws {
        let data = try JSONSerialization.data(
            withJSONObject: config, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        try data.write(to: URL(fileURLWithPath: path))
    }
}
