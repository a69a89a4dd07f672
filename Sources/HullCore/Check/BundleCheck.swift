/// `hull check`: a bundle against the runtime spec and against this host, before anything is
/// created. Every check is a function `create` runs too (the spec's validation, HostChecks,
/// the cgroup plan, the LSM check, the Landlock and seccomp plans), so the two never disagree.
///
/// Validation stops at the first broken rule of config.json (as `create` does); the host checks
/// that follow each report every problem they find.
public enum BundleCheck {
    public static func run(bundle: String) -> [CheckProblem] {
        let bundle = Path.absolute(bundle, relativeTo: FileIO.currentDirectory())
        var problems: [CheckProblem] = []
        let spec: Spec
        do {
            spec = try Spec.decode(Lifecycle.readConfig(bundle: bundle))
            try spec.validate()
        } catch let error as HullError {
            return problems + [CheckProblem(.error, error)]
        } catch {
            return problems + [CheckProblem(.error, field: "config.json", "\(error)")]
        }
        problems += HostChecks.rootless(spec) + HostChecks.namespaces(spec) + HostChecks.mountSources(spec, bundle: bundle)
        problems += rootfs(spec, bundle: bundle)
        problems += cgroupControllers(spec)
        if let process = spec.process { problems += processSecurity(process, linux: spec.linux) }
        return problems
    }

    /// The checks of config.json's bytes alone that need no bundle: decoding, validation and the
    /// process-security plans (Landlock, seccomp). The fuzz target (`make fuzz`) drives this.
    public static func configProblems(_ bytes: [UInt8]) -> [CheckProblem] {
        do {
            let spec = try Spec.decode(bytes)
            try spec.validate()
            guard let process = spec.process else { return [] }
            return processSecurity(process, linux: spec.linux)
        } catch let error as HullError {
            return [CheckProblem(.error, error)]
        } catch {
            return [CheckProblem(.error, field: "config.json", "\(error)")]
        }
    }

    private static func rootfs(_ spec: Spec, bundle: String) -> [CheckProblem] {
        guard let root = spec.root else { return [] }
        let path = Path.absolute(root.path, relativeTo: bundle)
        return FileIO.isDirectory(path) ? [] : [CheckProblem(.error, field: "root.path", "\(path) is not a directory")]
    }

    /// Each resource's controller must be mounted (v1) or available below hull's cgroup (v2).
    private static func cgroupControllers(_ spec: Spec) -> [CheckProblem] {
        guard let resources = spec.linux?.resources else { return [] }
        do {
            return try CgroupManager.forCaller(try CgroupHierarchies.current())
                .unavailableControllers(resources, devices: spec.linux?.devices ?? [])
        } catch let error as HullError {
            return [CheckProblem(.error, error)]
        } catch {
            return [CheckProblem(.error, field: "linux.resources", "\(error)")]
        }
    }

    /// The LSM labels, the capabilities, the Landlock rights and the seccomp profile, through
    /// the plans `create` makes (SecurityPlan); what `create` would skip with a warning is a
    /// warning here.
    private static func processSecurity(_ process: Process, linux: Linux?) -> [CheckProblem] {
        var problems: [CheckProblem] = []
        do {
            try LinuxSecurityModules.check(process: process)
        } catch let error as HullError {
            problems.append(CheckProblem(.error, error))
        } catch {}
        for (set, name) in CapabilitySets.unknownToKernel(process.capabilities) {
            problems.append(CheckProblem(.warning, field: "process.capabilities.\(set)",
                                         "\(name) is not known to this kernel (it would be skipped)"))
        }
        if let landlock = process.landlock {
            problems += landlockProblems(landlock)
        }
        if let seccomp = linux?.seccomp {
            problems += seccompProblems(seccomp)
        }
        return problems
    }

    private static func landlockProblems(_ landlock: Landlock) -> [CheckProblem] {
        var strict = landlock
        strict.disableBestEffort = true
        do {
            _ = try LandlockPlan(strict)
            return []
        } catch let error as HullError {
            return [CheckProblem(landlock.disableBestEffort == true ? .error : .warning, error)]
        } catch {
            return []
        }
    }

    private static func seccompProblems(_ seccomp: LinuxSeccomp) -> [CheckProblem] {
        do {
            let program = try SeccompProgram.compile(seccomp, cache: nil)
            return program.skippedNames.map {
                CheckProblem(.warning, field: "linux.seccomp.syscalls", "\($0) is not known to libseccomp (it would be skipped)")
            }
        } catch let error as HullError {
            return [CheckProblem(.error, error)]
        } catch {
            return []
        }
    }
}
