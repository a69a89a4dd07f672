/// The rules of `linux.seccomp`: names the spec defines, and errno values only where the
/// action returns one.
extension LinuxSeccomp {
    func validate() throws {
        let field = "linux.seccomp"
        try requireKnown(defaultAction, in: LinuxSeccomp.knownActions, at: field + ".defaultAction", what: "seccomp action")
        if defaultErrnoRet != nil, !LinuxSeccomp.actionsWithErrno.contains(defaultAction) {
            throw invalid(field + ".defaultErrnoRet", "only applies to SCMP_ACT_ERRNO and SCMP_ACT_TRACE, not \(defaultAction)")
        }
        for (index, arch) in (architectures ?? []).enumerated() {
            try requireKnown(arch, in: LinuxSeccomp.knownArchitectures, at: field + ".architectures[\(index)]", what: "seccomp architecture")
        }
        for (index, flag) in (flags ?? []).enumerated() {
            try requireKnown(flag, in: LinuxSeccomp.knownFlags, at: field + ".flags[\(index)]", what: "seccomp flag")
        }
        if let listenerMetadata, !listenerMetadata.isEmpty, (listenerPath ?? "").isEmpty {
            throw invalid(field + ".listenerMetadata", "requires \(field).listenerPath")
        }
        if let listenerPath { try requireNoNUL(listenerPath, at: field + ".listenerPath") }
        for (index, rule) in (syscalls ?? []).enumerated() {
            try rule.validate(at: field + ".syscalls[\(index)]")
        }
    }
}

extension LinuxSyscall {
    func validate(at field: String) throws {
        if names.isEmpty { throw invalid(field + ".names", "must not be empty") }
        for (index, name) in names.enumerated() where name.isEmpty {
            throw invalid(field + ".names[\(index)]", "must not be empty")
        }
        try requireKnown(action, in: LinuxSeccomp.knownActions, at: field + ".action", what: "seccomp action")
        if errnoRet != nil, !LinuxSeccomp.actionsWithErrno.contains(action) {
            throw invalid(field + ".errnoRet", "only applies to SCMP_ACT_ERRNO and SCMP_ACT_TRACE, not \(action)")
        }
        for (index, arg) in (args ?? []).enumerated() {
            let entry = field + ".args[\(index)]"
            if arg.index > 5 { throw invalid(entry + ".index", "must be between 0 and 5, got \(arg.index)") }
            try requireKnown(arg.op, in: LinuxSeccomp.knownOperators, at: entry + ".op", what: "seccomp operator")
        }
    }
}
