import Foundation

/// Runs the built `hull` binary and captures what it prints.
///
/// The binary is `$HULL_BINARY` or, if that is unset, `<package>/.build/release/hull`
/// (`make build` / `swift build -c release --static-swift-stdlib`).
struct HullRunner {
    let binary: String

    init(binary: String? = nil) {
        self.binary = binary ?? HullRunner.defaultBinary
    }

    static var packageDirectory: String {
        // This file is <package>/Tests/HullIntegrationTests/Support/HullRunner.swift.
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
    }

    static var defaultBinary: String {
        ProcessInfo.processInfo.environment["HULL_BINARY"] ?? packageDirectory + "/.build/release/hull"
    }

    /// Runs `hull ARGS` to completion. stdout and stderr go to temporary files (not pipes, so a
    /// chatty process can never block on a full pipe). A binary that cannot be started yields
    /// status -1 and the reason in `stderr`.
    func run(_ args: [String], stdin: String? = nil) -> (status: Int32, stdout: String, stderr: String) {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("hull-run-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            let outURL = scratch.appendingPathComponent("stdout")
            let errURL = scratch.appendingPathComponent("stderr")
            let inURL = scratch.appendingPathComponent("stdin")
            for url in [outURL, errURL, inURL] { _ = FileManager.default.createFile(atPath: url.path, contents: nil) }
            if let stdin { try Data(stdin.utf8).write(to: inURL) }

            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = args
            process.standardOutput = try FileHandle(forWritingTo: outURL)
            process.standardError = try FileHandle(forWritingTo: errURL)
            process.standardInput = try FileHandle(forReadingFrom: inURL)
            try process.run()
            process.waitUntilExit()
            let out = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
            let err = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
            return (process.terminationStatus, out, err)
        } catch {
            return (-1, "", "cannot run \(binary): \(error)")
        }
    }
}
