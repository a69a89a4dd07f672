#if canImport(Glibc)
import Glibc
#endif

/// The devices and symlinks every container's /dev gets (runtime-spec config-linux.md
/// "Default Devices"), whatever config.json lists.
enum DefaultDevices {
    struct Node {
        let path: String
        let major: UInt32
        let minor: UInt32
    }

    static let nodes: [Node] = [
        Node(path: "/dev/null", major: 1, minor: 3),
        Node(path: "/dev/zero", major: 1, minor: 5),
        Node(path: "/dev/full", major: 1, minor: 7),
        Node(path: "/dev/random", major: 1, minor: 8),
        Node(path: "/dev/urandom", major: 1, minor: 9),
        Node(path: "/dev/tty", major: 5, minor: 0),
    ]

    static let symlinks: [(target: String, path: String)] = [
        ("/proc/self/fd", "/dev/fd"),
        ("/proc/self/fd/0", "/dev/stdin"),
        ("/proc/self/fd/1", "/dev/stdout"),
        ("/proc/self/fd/2", "/dev/stderr"),
    ]

    /// /dev/ptmx points at the container's own devpts instance when /dev/pts is mounted.
    static let ptmx = (target: "pts/ptmx", path: "/dev/ptmx")
}
