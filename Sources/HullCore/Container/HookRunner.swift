import CHullShim

/// Runs config.json's hooks with the container's state on stdin (runtime.md "Lifecycle").
/// createRuntime, prestart and createContainer failures abort `create`; poststart and
/// poststop failures are warnings.
enum HookRunner {
    enum Kind: String { case prestart, createRuntime, createContainer, startContainer, poststart, poststop }

    /// Runs every hook of `kind` in order; throws on the first failure.
    /// `namespacesOf` > 0 runs the hooks in that process's namespaces.
    static func run(_ hooks: [Hook], kind: Kind, state: String, namespacesOf pid: Int32 = 0) throws {
        for (index, hook) in hooks.enumerated() {
            let arena = CArena()
            var cHook = hook.cValue(arena)
            var err = [CChar](repeating: 0, count: 512)
            let rc = withExtendedLifetime(arena) { hull_run_hook(&cHook, state, pid, &err, Int32(err.count)) }
            if rc != 0 {
                throw HullError("\(kind.rawValue) hook #\(index): \(String(cBuffer: err))")
            }
        }
    }

    /// Runs every hook of `kind`, logging failures as warnings and going on.
    static func runWarning(_ hooks: [Hook], kind: Kind, state: String) {
        for hook in hooks {
            do {
                try run([hook], kind: kind, state: state)
            } catch {
                Log.warn("\(error)")
            }
        }
    }
}
