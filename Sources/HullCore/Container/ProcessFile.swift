
/// `exec --process FILE`: a process object as config.json's `process`, decoded and checked by
/// the same rules, with errors naming the file: `--process p.json: args: must not be empty`.
enum ProcessFile {
    static func read(_ path: String) throws -> Process {
        let label = "--process \(path): "
        let bytes: [UInt8]
        do {
            bytes = try ConfigFile.read(path)
        } catch {
            throw HullError("--process: " + error.message)
        }
        do {
            return try SpecDecodingError.decode(Process.self, from: bytes)
        } catch let error as HullError {
            throw HullError(label + error.message.dropPrefix(SpecDecodingError.prefix))
        }
    }

    /// The rules of config.json's `process`, for an exec'd process. Errors name the file, or
    /// `exec` for a process made from the command line's flags.
    static func validate(_ process: Process, spec: Spec, source: ExecProcessSource) throws {
        do {
            try process.validate(namespaces: NamespaceIndex(spec.linux?.namespaces))
        } catch let error as HullError {
            let problem = error.message.dropPrefix(SpecDecodingError.prefix)
            switch source {
            case .file(let path): throw HullError("--process \(path): " + problem.dropPrefix("process."))
            case .changes: throw HullError("exec: " + problem)
            }
        }
    }
}
