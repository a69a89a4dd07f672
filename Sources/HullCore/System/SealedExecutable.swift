import CHullShim
#if canImport(Glibc)
import Glibc
#endif

/// hull's defence against the class of CVE-2019-5736: the commands that clone processes into a
/// container (`create`, `run`, `exec`) run from a copy of hull's binary that nothing can write,
/// so a container process that gets hold of /proc/PID/exe (through a `#!/proc/self/exe`
/// program and an ELF interpreter of its own in the rootfs) cannot overwrite the host's hull.
/// See Sources/CHullShim/sealed_exe.c and docs/security.md.
public enum SealedExecutable {
    /// Makes hull's /proc/self/exe a file no process can write, unless it already is one: the
    /// process switches in place to a read-only detached mount of its binary (its mappings and
    /// its exe link, a few system calls), or else re-executes (same arguments and environment)
    /// from such a mount or from a sealed memfd copy. Returns only when the binary is sealed;
    /// throws when it cannot be (hull then refuses to go on).
    public static func ensure() throws {
        var timer = StepTimer()
        if hull_seal_exe(CommandLine.unsafeArgv, environ) == 0 {
            timer.mark("seal hull's binary (CVE-2019-5736)")
            return
        }
        throw HullError("cannot run hull from a read-only copy of its binary (protection against CVE-2019-5736): \(Errno.describe(errno))")
    }

    /// Whether hull runs from a binary no process can write.
    public static var isSealed: Bool {
        hull_exe_is_sealed() != 0
    }
}
