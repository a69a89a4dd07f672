/// Which sysctls a container may set: only those confined to a namespace it owns, as runc
/// decides (libcontainer/configs/validate). Setting any other would change the host.
extension Linux {
    /// The IPC-namespaced sysctls besides fs.mqueue.*.
    static let ipcSysctls: Set<String> = [
        "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall", "kernel.shmmax",
        "kernel.shmmni", "kernel.shm_rmid_forced",
    ]

    func validateSysctl(_ namespaces: NamespaceIndex) throws {
        guard let sysctl else { return }
        for key in sysctl.keys.sorted() {
            let field = ConfigPath.appending(key, to: "linux.sysctl")
            if key.isEmpty { throw invalid(field, "key must not be empty") }
            let name = Linux.dottedSysctlName(key)
            if Linux.ipcSysctls.contains(name) || name.hasPrefix("fs.mqueue.") {
                if !namespaces.has(.ipc) { throw invalid(field, namespaces.missing(.ipc)) }
                continue
            }
            if name.hasPrefix("net.") {
                // Joining a namespace by path may still mean the host's; runc checks that on
                // the host, which validate() cannot.
                if !namespaces.has(.network) { throw invalid(field, namespaces.missing(.network)) }
                continue
            }
            if namespaces.has(.uts) {
                if name == "kernel.domainname" { continue }
                if name == "kernel.hostname" { throw invalid(field, "conflicts with the hostname field; set that instead") }
            }
            if name.hasPrefix("user.") {
                if !namespaces.has(.user) { throw invalid(field, namespaces.missing(.user)) }
                continue
            }
            throw invalid(field, "not in a separate kernel namespace, so the container may not set it")
        }
    }

    /// sysctl(8) also accepts "/" as the separator, with "." then allowed inside a component
    /// ("net/ipv4/conf/eno2.100/rp_filter"); swap the two to get the dotted spelling.
    static func dottedSysctlName(_ key: String) -> String {
        guard let first = key.firstIndex(where: { $0 == "." || $0 == "/" }), key[first] == "/" else { return key }
        return String(key.map { $0 == "/" ? "." : $0 == "." ? "/" : $0 })
    }
}
