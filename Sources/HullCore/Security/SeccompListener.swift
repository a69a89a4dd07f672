#if canImport(Glibc)
import Glibc
#endif
import CHullShim

/// Hands the seccomp notify fd of SCMP_ACT_NOTIFY to the listener at `linux.seccomp.listenerPath`,
/// as the runtime-spec describes (config-linux.md, "The Container Process State"): one message
/// on a connected unix socket whose data is the container process state JSON and whose
/// SCM_RIGHTS carry the fd named in its `fds`.
enum SeccompListener {
    static func send(notifyFd: Int32, pid: Int32, seccomp: LinuxSeccomp?, state: String) throws {
        guard let path = seccomp?.listenerPath, !path.isEmpty else {
            throw HullError("config.json: linux.seccomp.listenerPath: required when an action is SCMP_ACT_NOTIFY")
        }
        let document = processState(pid: pid, metadata: seccomp?.listenerMetadata, state: state)
        guard hull_send_fd(path, notifyFd, document) == 0 else {
            throw HullError("config.json: linux.seccomp.listenerPath: send the seccomp notify fd to \(path): \(Errno.describe(errno))")
        }
    }

    /// `{"ociVersion": ..., "fds": ["seccompFd"], "pid": ..., "metadata": ..., "state": {...}}`.
    static func processState(pid: Int32, metadata: String?, state: String) -> String {
        var fields = [
            "\"ociVersion\":\(JSONQuote.quoted(HullVersion.specVersion))",
            "\"fds\":[\"seccompFd\"]",
            "\"pid\":\(pid)",
        ]
        if let metadata, !metadata.isEmpty { fields.append("\"metadata\":\(JSONQuote.quoted(metadata))") }
        fields.append("\"state\":\(state.trimmingSuffixNewline())")
        return "{" + fields.joined(separator: ",") + "}"
    }
}

private extension String {
    func trimmingSuffixNewline() -> String {
        var copy = self
        while copy.last == "\n" { copy.removeLast() }
        return copy
    }
}
