#if canImport(Glibc)
import Glibc
#endif
import CHullShim

/// What libseccomp compiles: `linux.seccomp` with its names turned into libseccomp's values.
/// The listener fields and the flags are not part of it (they do not change the program).
struct SeccompInput {
    struct Rule {
        var names: [String]
        var action: UInt32
        var args: [hull_seccomp_arg]
    }

    var defaultAction: UInt32
    /// libseccomp's architecture names ("x86_64").
    var architectures: [String]
    var rules: [Rule]

    init(_ seccomp: LinuxSeccomp) {
        defaultAction = SeccompNames.action(seccomp.defaultAction, errno: seccomp.defaultErrnoRet)
        architectures = (seccomp.architectures ?? []).map(SeccompNames.libseccompArch)
        rules = (seccomp.syscalls ?? []).map { rule in
            Rule(names: rule.names, action: SeccompNames.action(rule.action, errno: rule.errnoRet),
                 args: (rule.args ?? []).map {
                     hull_seccomp_arg(index: UInt32($0.index), op: SeccompNames.operators[$0.op] ?? 0,
                                      value: $0.value, value_two: $0.valueTwo ?? 0)
                 })
        }
    }

    /// Everything the program depends on, unambiguously: the inputs, libseccomp's version and
    /// the kernel (libseccomp adapts the program to the kernel's API level).
    var cacheKey: String {
        var key = "libseccomp \(HullVersion.libseccomp) kernel \(Self.kernel)\n"
        key += "default \(String(defaultAction, radix: 16)) archs \(architectures.map(JSONQuote.quoted).joined(separator: ","))\n"
        for rule in rules {
            key += "rule \(String(rule.action, radix: 16)) \(rule.names.map(JSONQuote.quoted).joined(separator: ","))"
            for arg in rule.args { key += " \(arg.index):\(arg.op):\(arg.value):\(arg.value_two)" }
            key += "\n"
        }
        return key
    }

    /// libseccomp compiles it (hull_seccomp_compile in the shim).
    func compile() throws -> SeccompCache.Entry {
        let arena = CArena()
        var profile = hull_seccomp_profile()
        profile.default_action = defaultAction
        profile.archs = UnsafePointer(arena.array(architectures.map { UnsafePointer(arena.string($0)) as UnsafePointer<CChar>? }))
        profile.arch_count = Int32(architectures.count)
        let cRules = rules.map { rule in
            hull_seccomp_rule(
                names: UnsafePointer(arena.array(rule.names.map { UnsafePointer(arena.string($0)) as UnsafePointer<CChar>? })),
                name_count: Int32(rule.names.count), action: rule.action,
                args: UnsafePointer(arena.array(rule.args)), arg_count: Int32(rule.args.count))
        }
        profile.rules = UnsafePointer(arena.array(cRules))
        profile.rule_count = Int32(cRules.count)

        var filter: UnsafeMutableRawPointer?
        var count = 0
        var skipped = [CChar](repeating: 0, count: 4096)
        var err = [CChar](repeating: 0, count: 512)
        let rc = withExtendedLifetime(arena) {
            hull_seccomp_compile(&profile, &filter, &count, &skipped, Int32(skipped.count), &err, Int32(err.count))
        }
        guard rc == 0, let filter else { throw HullError("config.json: linux.seccomp: \(String(cBuffer: err))") }
        defer { free(filter) }
        let program = Array(UnsafeRawBufferPointer(start: filter, count: count * 8))
        return SeccompCache.Entry(program: program, skipped: String(cBuffer: skipped))
    }

    private static var kernel: String {
        var name = utsname()
        guard uname(&name) == 0 else { return "unknown" }
        let field = { (bytes: UnsafeRawBufferPointer) in String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self) }
        return withUnsafeBytes(of: name.release, field) + " " + withUnsafeBytes(of: name.version, field) + " "
            + withUnsafeBytes(of: name.machine, field)
    }
}
