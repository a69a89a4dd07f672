#if canImport(Glibc)
import Glibc
#endif

/// A mount's `options` split the way mount(8) does: flags for mount(2), propagation, recursive
/// attributes for mount_setattr(2), and everything else as the file system's data string.
/// The tables below are hull's whole option vocabulary; `hull features` lists them.
public struct MountOptions: Equatable {
    var flags: UInt = 0
    var clearedFlags: UInt = 0
    var propagation: UInt = 0
    var attrSet: UInt64 = 0
    var attrClear: UInt64 = 0
    var data: [String] = []
    /// tmpcopyup (runc's extension): a tmpfs starts with a copy of the directory it covers.
    var copyUp = false

    var isBind: Bool { flags & UInt(MS_BIND) != 0 }

    init(_ options: [String]) throws {
        for option in options {
            try apply(option)
        }
        flags &= ~clearedFlags
    }

    private mutating func apply(_ option: String) throws {
        if let (flag, clears) = Self.flagOptions[option] {
            if clears { clearedFlags |= flag; flags &= ~flag } else { flags |= flag; clearedFlags &= ~flag }
        } else if let flag = Self.propagationOptions[option] {
            propagation = flag
        } else if let (attr, clears) = Self.recursiveOptions[option] {
            if clears { attrClear |= attr } else { attrSet |= attr }
        } else if option == Self.tmpcopyup {
            copyUp = true
        } else if Self.idmap.contains(option) {
            throw HullError("mount option \"\(option)\" is not supported yet")
        } else {
            data.append(option)
        }
    }

    /// mount(8) flag options: name -> (MS_ flag, whether the option clears it).
    static let flagOptions: [String: (UInt, Bool)] = [
        "async": (UInt(MS_SYNCHRONOUS), true), "sync": (UInt(MS_SYNCHRONOUS), false),
        "atime": (UInt(MS_NOATIME), true), "noatime": (UInt(MS_NOATIME), false),
        "bind": (UInt(MS_BIND), false), "rbind": (UInt(MS_BIND | MS_REC), false),
        "defaults": (0, false),
        "dev": (UInt(MS_NODEV), true), "nodev": (UInt(MS_NODEV), false),
        "diratime": (UInt(MS_NODIRATIME), true), "nodiratime": (UInt(MS_NODIRATIME), false),
        "dirsync": (UInt(MS_DIRSYNC), false),
        "exec": (UInt(MS_NOEXEC), true), "noexec": (UInt(MS_NOEXEC), false),
        "iversion": (UInt(MS_I_VERSION), false), "noiversion": (UInt(MS_I_VERSION), true),
        "lazytime": (UInt(MS_LAZYTIME), false), "nolazytime": (UInt(MS_LAZYTIME), true),
        "mand": (UInt(MS_MANDLOCK), false), "nomand": (UInt(MS_MANDLOCK), true),
        "relatime": (UInt(MS_RELATIME), false), "norelatime": (UInt(MS_RELATIME), true),
        "strictatime": (UInt(MS_STRICTATIME), false), "nostrictatime": (UInt(MS_STRICTATIME), true),
        "ro": (UInt(MS_RDONLY), false), "rw": (UInt(MS_RDONLY), true),
        "suid": (UInt(MS_NOSUID), true), "nosuid": (UInt(MS_NOSUID), false),
        "symfollow": (UInt(MS_NOSYMFOLLOW), true), "nosymfollow": (UInt(MS_NOSYMFOLLOW), false),
        "remount": (UInt(MS_REMOUNT), false),
        "silent": (UInt(MS_SILENT), false), "loud": (UInt(MS_SILENT), true),
        "acl": (UInt(MS_POSIXACL), false), "noacl": (UInt(MS_POSIXACL), true),
    ]

    static let propagationOptions: [String: UInt] = [
        "private": UInt(MS_PRIVATE), "rprivate": UInt(MS_PRIVATE | MS_REC),
        "shared": UInt(MS_SHARED), "rshared": UInt(MS_SHARED | MS_REC),
        "slave": UInt(MS_SLAVE), "rslave": UInt(MS_SLAVE | MS_REC),
        "unbindable": UInt(MS_UNBINDABLE), "runbindable": UInt(MS_UNBINDABLE | MS_REC),
    ]

    // MOUNT_ATTR_* values from <linux/mount.h>.
    static let attrReadOnly: UInt64 = 0x1, attrNoSuid: UInt64 = 0x2, attrNoDev: UInt64 = 0x4
    static let attrNoExec: UInt64 = 0x8, attrAtimeMask: UInt64 = 0x70, attrNoAtime: UInt64 = 0x10
    static let attrStrictAtime: UInt64 = 0x20, attrNoDiratime: UInt64 = 0x80
    static let attrNoSymfollow: UInt64 = 0x200000

    /// Recursive options (runc 1.1+): name -> (MOUNT_ATTR_ bit, whether the option clears it).
    static let recursiveOptions: [String: (UInt64, Bool)] = [
        "rro": (attrReadOnly, false), "rrw": (attrReadOnly, true),
        "rnosuid": (attrNoSuid, false), "rsuid": (attrNoSuid, true),
        "rnodev": (attrNoDev, false), "rdev": (attrNoDev, true),
        "rnoexec": (attrNoExec, false), "rexec": (attrNoExec, true),
        "rnodiratime": (attrNoDiratime, false), "rdiratime": (attrNoDiratime, true),
        "rnoatime": (attrNoAtime, false), "ratime": (attrAtimeMask, true),
        "rstrictatime": (attrStrictAtime, false), "rnostrictatime": (attrStrictAtime, true),
        "rrelatime": (attrAtimeMask, true), "rnorelatime": (attrNoAtime, false),
        "rnosymfollow": (attrNoSymfollow, false), "rsymfollow": (attrNoSymfollow, true),
    ]

    /// Every option name hull applies itself (the rest is file-system data), for `hull features`.
    public static let known: [String] =
        (Array(flagOptions.keys) + Array(propagationOptions.keys) + Array(recursiveOptions.keys) + [tmpcopyup]).sorted()

    /// runc's extension for tmpfs mounts (applied by the shim's copyup.c).
    static let tmpcopyup = "tmpcopyup"

    /// Options that ask for an ID-mapped mount (not passed to mount(2)).
    public static let idmap = ["idmap", "ridmap"]

    /// Options that make a mount a bind mount.
    public static let bind = ["bind", "rbind"]

    private static let recognised = Set(known + idmap)

    /// Whether `option` is file-system data rather than a recognised option.
    public static func isFilesystemData(_ option: String) -> Bool {
        !recognised.contains(option)
    }
}
