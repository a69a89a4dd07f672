import CHullShim

/// What this libseccomp and this kernel support, for `hull features`.
enum SeccompSupport {
    /// The spec's architectures libseccomp can put in a filter next to the native one.
    static var knownArchitectures: [String] {
        LinuxSeccomp.knownArchitectures.filter { hull_seccomp_arch_usable(SeccompNames.libseccompArch($0)) != 0 }
    }

    /// The filter flags the kernel accepts. WAIT_KILLABLE_RECV is only valid with a notify
    /// listener, so it is probed together with NEW_LISTENER.
    static var supportedFlags: [String] {
        LinuxSeccomp.knownFlags.filter { name in
            guard var bits = SeccompNames.flags[name] else { return false }
            if name == "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" { bits |= SeccompNames.newListener }
            return hull_seccomp_flag_supported(bits) != 0
        }
    }
}
