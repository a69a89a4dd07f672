/// `hull check --format json`: `{"ok":false,"problems":[{"severity":"error","field":...,"message":...}]}`.
public struct BundleCheckReport: Sendable {
    public let problems: [CheckProblem]

    public init(problems: [CheckProblem]) {
        self.problems = problems
    }

    /// No problem is an error: `create` would not fail on these grounds.
    public var ok: Bool { !problems.contains { $0.severity == .error } }

    public func json() -> String {
        let entries: [JSONValue] = problems.map { problem in
            .ordered([("severity", .string(problem.severity.rawValue)), ("field", .string(problem.field)),
                      ("message", .string(problem.message))])
        }
        return JSONWriter.compact(.ordered([("ok", .bool(ok)), ("problems", .array(entries))]))
    }
}
