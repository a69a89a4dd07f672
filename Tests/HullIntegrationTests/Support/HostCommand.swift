import Foundation

/// Runs a host program (chroot, runc, busybox ...) to completion and captures what it printed.
///
/// Output goes to temporary files rather than pipes: a program that leaves a child holding its
/// stdout open (a detached container) cannot then make the test hang waiting for end-of-file.
enum HostCommand {
    /// Runs `executable` (an absolute path, or a name looked up in PATH) with `arguments`.
    /// `stdin`, when given, is written to the program's standard input; otherwise it reads /dev/null.
    static func run(
        _ executable: String, _ arguments: [String], stdin: String? = nil
    ) throws -> (status: Int32, stdout: String, stderr: String) {
        let scratch = try TempDirectory.make(prefix: "hull-cmd-")
        defer { TempDirectory.remove(scratch) }
        let outPath = scratch + "/stdout", errPath = scratch + "/stderr", inPath = scratch + "/stdin"
        try Data((stdin ?? "").utf8).write(to: URL(fileURLWithPath: inPath))
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try resolve(executable))
        process.arguments = arguments
        let input = FileHandle(forReadingAtPath: stdin == nil ? "/dev/null" : inPath)
        let output = FileHandle(forWritingAtPath: outPath)
        let errors = FileHandle(forWritingAtPath: errPath)
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        try? input?.close()
        try? output?.close()
        try? errors?.close()

        let stdout = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        // Like a shell: a program killed by signal N reports status 128 + N.
        let killed = process.terminationReason == .uncaughtSignal
        return (killed ? 128 + process.terminationStatus : process.terminationStatus, stdout, stderr)
    }

    /// Finds `name` in PATH (plus the sbin directories, which root's PATH may lack in a test runner).
    static func resolve(_ name: String) throws -> String {
        if name.contains("/") { return name }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]
        for directory in directories where FileManager.default.isExecutableFile(atPath: directory + "/" + name) {
            return directory + "/" + name
        }
        throw HarnessError("\(name): not found in PATH")
    }
}
