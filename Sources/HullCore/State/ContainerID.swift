/// The rule for container IDs, the same as runc's.
///
/// An ID names a directory under the state root (`ROOT/ID`), so the rule is what keeps an ID from
/// escaping the root or colliding with `.`/`..`: only ASCII letters, digits and `_ + - .`, not `.` or
/// `..`, not empty. hull adds a limit of 1024 bytes, which runc does not have, so an absurd ID is
/// refused by name before it reaches a path. (A directory name is further limited to NAME_MAX, 255
/// bytes on tmpfs; `StateStore.create` reports that limit when an ID crosses it.)
public enum ContainerID {
    /// The longest ID hull accepts, in bytes.
    public static let maxLength = 1024

    /// Throws a one-line `HullError` naming the ID and the rule it breaks.
    public static func validate(_ id: String) throws {
        let bytes = Array(id.utf8)
        if bytes.isEmpty {
            throw HullError(#"invalid container ID "": must not be empty"#)
        }
        if bytes.count > maxLength {
            throw HullError("invalid container ID (\(bytes.count) bytes): at most \(maxLength) bytes are allowed")
        }
        if !bytes.allSatisfy(isAllowed) {
            throw HullError("invalid container ID \(JSONQuote.goQuoted(id)): only [a-zA-Z0-9_+.-] are allowed")
        }
        if id == "." || id == ".." {
            throw HullError("invalid container ID \(JSONQuote.goQuoted(id)): must not be \".\" or \"..\"")
        }
    }

    /// Whether `id` passes `validate`.
    public static func isValid(_ id: String) -> Bool {
        (try? validate(id)) != nil
    }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
            return true
        default:
            return false
        }
    }
}
