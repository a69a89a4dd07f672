/// The mount option vocabulary hull recognises in `mounts[].options`. Any other option is
/// filesystem data passed to mount(2) as its `data` argument (such as "mode=755").
public enum MountOptions {
    /// mount(8) flags, propagation types, recursive (mount_setattr) attributes and `tmpcopyup`:
    /// the same list `runc features` prints as `mountOptions`, sorted.
    public static let known = [
        "acl", "async", "atime", "bind", "defaults", "dev", "diratime", "dirsync", "exec", "iversion",
        "lazytime", "loud", "mand", "noacl", "noatime", "nodev", "nodiratime", "noexec", "noiversion",
        "nolazytime", "nomand", "norelatime", "nostrictatime", "nosuid", "nosymfollow", "private", "ratime",
        "rbind", "rdev", "rdiratime", "relatime", "remount", "rexec", "rnoatime", "rnodev", "rnodiratime",
        "rnoexec", "rnorelatime", "rnostrictatime", "rnosuid", "rnosymfollow", "ro", "rprivate", "rrelatime",
        "rro", "rrw", "rshared", "rslave", "rstrictatime", "rsuid", "rsymfollow", "runbindable", "rw",
        "shared", "silent", "slave", "strictatime", "suid", "symfollow", "sync", "tmpcopyup", "unbindable",
    ]

    /// Options that ask for an ID-mapped mount (not passed to mount(2)).
    public static let idmap = ["idmap", "ridmap"]

    /// Options that make a mount a bind mount.
    public static let bind = ["bind", "rbind"]

    private static let recognised = Set(known + idmap)

    /// Whether `option` is filesystem data rather than a recognised option.
    public static func isFilesystemData(_ option: String) -> Bool {
        !recognised.contains(option)
    }
}
