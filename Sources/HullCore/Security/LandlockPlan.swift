import CHullShim

/// `process.landlock` fitted to the running kernel: the rights as bit masks, each rule's
/// rights cut to what the ruleset handles. In best-effort mode (the default) rights newer than
/// the kernel's Landlock ABI are dropped (and Landlock is left out on a kernel without it, with
/// a warning); with `disableBestEffort` they are an error naming the right.
struct LandlockPlan: Equatable {
    struct PathRule: Equatable { var path: String; var allowed: UInt64 }
    struct PortRule: Equatable { var port: UInt64; var allowed: UInt64 }

    var handledFS: UInt64 = 0
    var handledNetwork: UInt64 = 0
    var paths: [PathRule] = []
    var ports: [PortRule] = []

    init() {}

    init(_ landlock: Landlock, kernelABI: Int = Int(hull_landlock_abi())) throws {
        let strict = landlock.disableBestEffort ?? false
        if kernelABI < 1 {
            guard !strict else {
                throw HullError("process.landlock: this kernel has no Landlock (and disableBestEffort is set)")
            }
            Log.warn("process.landlock: this kernel has no Landlock; the process runs without it")
            return
        }
        let field = "process.landlock.ruleset"
        handledFS = try Self.mask(landlock.ruleset?.handledAccessFS, LandlockAccess.fileSystem, kernelABI: kernelABI,
                                  strict: strict, field: field + ".handledAccessFS")
        handledNetwork = try Self.mask(landlock.ruleset?.handledAccessNetwork, LandlockAccess.network,
                                       kernelABI: kernelABI, strict: strict, field: field + ".handledAccessNetwork")
        for rule in landlock.rules?.pathBeneath ?? [] {
            let allowed = Self.bits(rule.allowedAccess, LandlockAccess.fileSystem) & handledFS
            paths += (rule.paths ?? []).map { PathRule(path: $0, allowed: allowed) }
        }
        for rule in landlock.rules?.netPort ?? [] {
            let allowed = Self.bits(rule.allowedAccess, LandlockAccess.network) & handledNetwork
            ports += (rule.ports ?? []).map { PortRule(port: $0, allowed: allowed) }
        }
    }

    /// The handled rights the kernel has; a right it lacks is dropped, or an error when strict.
    private static func mask(_ names: [String]?, _ rights: [LandlockAccess.Right], kernelABI: Int, strict: Bool,
                             field: String) throws -> UInt64 {
        var mask: UInt64 = 0
        for (index, name) in (names ?? []).enumerated() {
            guard let right = LandlockAccess.right(name, in: rights) else { continue }
            guard right.abi <= kernelABI else {
                if strict {
                    throw HullError("\(field)[\(index)]: \"\(name)\" needs Landlock ABI \(right.abi), this kernel has \(kernelABI) (and disableBestEffort is set)")
                }
                continue
            }
            mask |= right.bit
        }
        return mask
    }

    private static func bits(_ names: [String]?, _ rights: [LandlockAccess.Right]) -> UInt64 {
        (names ?? []).reduce(0) { $0 | (LandlockAccess.right($1, in: rights)?.bit ?? 0) }
    }

    func cValue(_ arena: CArena) -> hull_landlock {
        hull_landlock(
            handled_fs: handledFS, handled_net: handledNetwork,
            paths: UnsafePointer(arena.array(paths.map { hull_landlock_path(path: arena.string($0.path), allowed: $0.allowed) })),
            path_count: Int32(paths.count),
            ports: UnsafePointer(arena.array(ports.map { hull_landlock_port(port: $0.port, allowed: $0.allowed) })),
            port_count: Int32(ports.count))
    }
}
