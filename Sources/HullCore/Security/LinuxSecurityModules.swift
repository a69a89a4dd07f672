/// AppArmor and SELinux. hull applies neither; it behaves as runc does on a host where they
/// are not enabled (see docs/security.md):
/// - `process.apparmorProfile`: runc fails to start the container (writing the profile to
///   /proc/self/attr/exec fails); hull refuses it with a clear error.
/// - `process.selinuxLabel`: runc refuses it ("selinux label is specified in config, but
///   selinux is disabled or not supported"); so does hull.
/// - `linux.mountLabel`: ignored, as runc ignores it without SELinux.
enum LinuxSecurityModules {
    static func check(process: Process) throws {
        if let profile = process.apparmorProfile, !profile.isEmpty {
            throw HullError("config.json: process.apparmorProfile: AppArmor is not supported by hull (profile \"\(profile)\" cannot be applied)")
        }
        if let label = process.selinuxLabel, !label.isEmpty {
            throw HullError("config.json: process.selinuxLabel: SELinux is not supported by hull (label \"\(label)\" cannot be applied)")
        }
    }
}
