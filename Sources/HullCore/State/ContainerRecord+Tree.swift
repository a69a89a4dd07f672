/// Reading and writing a `ContainerRecord` as hull's own JSON tree instead of `JSONDecoder` and
/// `JSONEncoder`.
///
/// `list` reads every container's state.json; with `JSONDecoder` that was about 215 K
/// instructions a container, mostly the Swift runtime's generic machinery of the synthesized
/// `init(from:)` and the two `[String: String]` dictionaries (docs/performance.md). A record as
/// hull writes it is read here field by field from `JSONParser`'s tree. Anything else (a missing
/// or mistyped field, a number in another spelling, a status hull does not store) gives nil, and
/// `StateStore.load` decodes with `JSONDecoder` as before, so every error message about a
/// damaged state.json stays exactly what it was.
extension ContainerRecord {
    init?(stateTree tree: JSONValue) {
        guard case .object = tree,
              case .string(let id)? = tree["id"],
              case .string(let bundle)? = tree["bundle"],
              case .string(let rootfs)? = tree["rootfs"],
              case .number(let pidLiteral)? = tree["pid"], let pid = Int32(pidLiteral),
              case .number(let startLiteral)? = tree["pidStartTime"], let pidStartTime = UInt64(startLiteral),
              case .string(let created)? = tree["created"],
              case .string(let owner)? = tree["owner"],
              let annotations = Self.stringMap(tree["annotations"]),
              let cgroupPaths = Self.stringMap(tree["cgroupPaths"]),
              case .string(let statusName)? = tree["status"], let status = ContainerStatus(rawValue: statusName)
        else { return nil }
        var laterHooks: [String]?
        switch tree["laterHooks"] {
        case nil, .null?:
            laterHooks = nil
        case .array(let elements)?:
            var kinds: [String] = []
            for element in elements {
                guard case .string(let kind) = element else { return nil }
                kinds.append(kind)
            }
            laterHooks = kinds
        default:
            return nil
        }
        var systemdUnit: String?
        switch tree["systemdUnit"] {
        case nil, .null?: systemdUnit = nil
        case .string(let unit)?: systemdUnit = unit
        default: return nil
        }
        self.init(id: id, bundle: bundle, rootfs: rootfs, pid: pid, pidStartTime: pidStartTime, created: created,
                  owner: owner, annotations: annotations, cgroupPaths: cgroupPaths, status: status)
        self.laterHooks = laterHooks
        self.systemdUnit = systemdUnit
    }

    /// The record as state.json holds it: what `JSONEncoder` made of it with sorted keys (nil
    /// optionals left out), built by hand for the reason above: `JSONEncoder` took 650 K
    /// instructions of each `run`, an eighth of all.
    var stateTree: JSONValue {
        var members: [(String, JSONValue)] = [
            ("annotations", .sortedObject(annotations)), ("bundle", .string(bundle)),
            ("cgroupPaths", .sortedObject(cgroupPaths)), ("created", .string(created)), ("id", .string(id)),
        ]
        if let laterHooks { members.append(("laterHooks", .array(laterHooks.map { .string($0) }))) }
        members += [
            ("owner", .string(owner)), ("pid", .int(pid)), ("pidStartTime", .int(pidStartTime)),
            ("rootfs", .string(rootfs)), ("status", .string(status.rawValue)),
        ]
        if let systemdUnit { members.append(("systemdUnit", .string(systemdUnit))) }
        return .ordered(members)
    }

    /// An object of strings as a dictionary (a repeated key: the last one, as JSONDecoder does).
    private static func stringMap(_ value: JSONValue?) -> [String: String]? {
        guard case .object(let members)? = value else { return nil }
        var map: [String: String] = [:]
        map.reserveCapacity(members.count)
        for member in members {
            guard case .string(let string) = member.value else { return nil }
            map[member.key] = string
        }
        return map
    }
}
