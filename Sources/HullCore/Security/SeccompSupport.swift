import CHullShim

/// What this libseccomp and this kernel support, for `hull features`.
enum SeccompSupport {
    /// The spec's architectures libseccomp can put in a filter next to the native one.
    static var knownArchitectures: [String] {
        LinuxSeccomp.knownArchitectures.filter { hull_seccomp_arch_usable(SeccompNames.libseccompArch($0)) != 0 }
    }

    /// The filter flags the kernel accepts, of those hull applies.
    static var supportedFlags: [String] {
        ["SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"].filter { name in
            SeccompNames.flags[name].map { hull_seccomp_flag_supported($0) != 0 } ?? false
        }
    }
}
