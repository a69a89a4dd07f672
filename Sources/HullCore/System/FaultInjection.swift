#if canImport(Glibc)
import Glibc
#endif

/// Kill points for the fault tests only (Tests/HullIntegrationTests/Lifecycle/FaultTests.swift):
/// when `HULL_TEST_FAULT` names a point, hull kills itself with SIGKILL there, as a crash or an
/// OOM kill would, so the tests can check that `state`, `list` and `delete --force` cope with
/// whatever a half-done command left. Unset (always, outside tests) it does nothing.
/// The points are listed in docs/testing.md ("Fault injection").
enum FaultInjection {
    static let variable = "HULL_TEST_FAULT"

    /// SIGKILLs hull when `HULL_TEST_FAULT` is `name`.
    static func point(_ name: StaticString) {
        guard let value = getenv(variable), strcmp(value, name.utf8Start) == 0 else { return }
        kill(getpid(), SIGKILL)
    }
}
