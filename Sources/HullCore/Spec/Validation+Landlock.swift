/// The rules of `process.landlock`: known right names, absolute paths, ports that fit 16 bits,
/// and rules that allow only rights the ruleset handles (landlock_add_rule(2) refuses others).
extension Landlock {
    func validate() throws {
        let field = "process.landlock"
        let handledFS = try Self.names(ruleset?.handledAccessFS, in: LandlockAccess.fileSystem,
                                       at: field + ".ruleset.handledAccessFS", what: "file-system access right")
        let handledNet = try Self.names(ruleset?.handledAccessNetwork, in: LandlockAccess.network,
                                        at: field + ".ruleset.handledAccessNetwork", what: "network access right")
        for (index, rule) in (rules?.pathBeneath ?? []).enumerated() {
            let at = field + ".rules.pathBeneath[\(index)]"
            try Self.requireHandled(rule.allowedAccess, by: handledFS, in: LandlockAccess.fileSystem,
                                    at: at + ".allowedAccess", what: "file-system access right",
                                    ruleset: "handledAccessFS")
            for (pathIndex, path) in (rule.paths ?? []).enumerated() {
                try requireAbsolute(path, at: at + ".paths[\(pathIndex)]")
            }
        }
        for (index, rule) in (rules?.netPort ?? []).enumerated() {
            let at = field + ".rules.netPort[\(index)]"
            try Self.requireHandled(rule.allowedAccess, by: handledNet, in: LandlockAccess.network,
                                    at: at + ".allowedAccess", what: "network access right",
                                    ruleset: "handledAccessNetwork")
            for (portIndex, port) in (rule.ports ?? []).enumerated() where port > 65535 {
                throw invalid(at + ".ports[\(portIndex)]", "must be a TCP port (0 to 65535), got \(port)")
            }
        }
    }

    private static func names(_ names: [String]?, in rights: [LandlockAccess.Right], at field: String,
                              what: String) throws -> Set<String> {
        for (index, name) in (names ?? []).enumerated() {
            try requireKnown(name, in: rights.map(\.name), at: field + "[\(index)]", what: what)
        }
        return Set(names ?? [])
    }

    private static func requireHandled(_ names: [String]?, by handled: Set<String>, in rights: [LandlockAccess.Right],
                                       at field: String, what: String, ruleset: String) throws {
        for (index, name) in (names ?? []).enumerated() {
            try requireKnown(name, in: rights.map(\.name), at: field + "[\(index)]", what: what)
            guard handled.contains(name) else {
                throw invalid(field + "[\(index)]", "\(quoted(name)) is not in process.landlock.ruleset.\(ruleset)")
            }
        }
    }
}
