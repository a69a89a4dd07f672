/// The rules of `process`.
extension Process {
    func validate(namespaces: NamespaceIndex) throws {
        try validateArgs()
        try requireAbsolute(cwd, at: "process.cwd")
        try validateEnv()
        try validateRlimits()
        if let oomScoreAdj, !(-1000...1000).contains(oomScoreAdj) {
            throw invalid("process.oomScoreAdj", "must be between -1000 and 1000, got \(oomScoreAdj)")
        }
        if let scheduler { try scheduler.validate() }
        if let ioPriority { try ioPriority.validate() }
        if let execCPUAffinity { try execCPUAffinity.validate() }
        if let landlock { try landlock.validate() }
    }

    private func validateArgs() throws {
        guard let args, let first = args.first else { throw invalid("process.args", "must not be empty") }
        if first.isEmpty { throw invalid("process.args[0]", "must not be empty") }
        for (index, arg) in args.enumerated() { try requireNoNUL(arg, at: "process.args[\(index)]") }
    }

    /// Entries are NAME=VALUE, as execve(2) expects and runc requires.
    private func validateEnv() throws {
        for (index, entry) in (env ?? []).enumerated() {
            let field = "process.env[\(index)]"
            guard let equals = entry.firstIndex(of: "=") else {
                throw invalid(field, "expected NAME=VALUE, got \(quoted(entry))")
            }
            if equals == entry.startIndex { throw invalid(field, "variable name must not be empty") }
            try requireNoNUL(entry, at: field)
        }
    }

    private func validateRlimits() throws {
        var seen: Set<String> = []
        for (index, rlimit) in (rlimits ?? []).enumerated() {
            let field = "process.rlimits[\(index)]"
            try requireKnown(rlimit.type, in: POSIXRlimit.knownTypes, at: field + ".type", what: "rlimit")
            guard seen.insert(rlimit.type).inserted else {
                throw invalid(field + ".type", "duplicate rlimit \(quoted(rlimit.type))")
            }
            if rlimit.soft > rlimit.hard {
                throw invalid(field, "soft limit \(rlimit.soft) is greater than hard limit \(rlimit.hard)")
            }
        }
    }
}

/// sched_setattr(2)'s constraints, as runc checks them.
extension Scheduler {
    func validate() throws {
        let field = "process.scheduler"
        try requireKnown(policy, in: Scheduler.knownPolicies, at: field + ".policy", what: "scheduler policy")
        for (index, flag) in (flags ?? []).enumerated() {
            try requireKnown(flag, in: Scheduler.knownFlags, at: field + ".flags[\(index)]", what: "scheduler flag")
        }
        if let nice, ["SCHED_OTHER", "SCHED_BATCH"].contains(policy), !(-20...19).contains(nice) {
            throw invalid(field + ".nice", "must be between -20 and 19 for \(policy), got \(nice)")
        }
        if let priority, priority != 0, !["SCHED_FIFO", "SCHED_RR"].contains(policy) {
            throw invalid(field + ".priority", "only applies to SCHED_FIFO and SCHED_RR, not \(policy)")
        }
        if policy != "SCHED_DEADLINE" {
            for (name, value) in [("runtime", runtime), ("deadline", deadline), ("period", period)]
            where (value ?? 0) != 0 {
                throw invalid(field + "." + name, "only applies to SCHED_DEADLINE, not \(policy)")
            }
        }
    }
}

extension LinuxIOPriority {
    func validate() throws {
        let field = "process.ioPriority"
        try requireKnown(self.class, in: LinuxIOPriority.knownClasses, at: field + ".class", what: "I/O priority class")
        guard (0...7).contains(priority) else {
            throw invalid(field + ".priority", "must be between 0 and 7, got \(priority)")
        }
    }
}

extension CPUAffinity {
    func validate() throws {
        for (name, list) in [("initial", initial), ("final", final)] {
            guard let list else { continue }
            if CPUList.parse(list) == nil {
                throw invalid("process.execCPUAffinity." + name, "invalid CPU list \(quoted(list))")
            }
        }
    }
}
