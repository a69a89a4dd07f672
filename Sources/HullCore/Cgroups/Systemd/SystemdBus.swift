import CHullShim
#if canImport(Glibc)
import Glibc
#endif

/// The D-Bus calls of the systemd cgroup driver, made by the shim through libsystemd's sd-bus
/// (systemd_bus.c, which loads libsystemd.so.0 only when one of these is called).
enum SystemdBus {
    /// How long to wait for systemd to start or stop a unit (runc's 30 s).
    static let jobTimeoutMs: Int32 = 30_000

    /// `--systemd-cgroup` needs systemd as the init system: sd_booted(3)'s test, as runc's
    /// IsRunningSystemd, is that /run/systemd/system is a directory.
    static func requireRunning(runDirectory: String = "/run/systemd/system") throws {
        guard FileIO.isDirectory(runDirectory) else {
            throw HullError("--systemd-cgroup: systemd is not running on this host (\(runDirectory) does not exist)")
        }
    }

    /// StartTransientUnit(unit, "replace", properties), waiting until the job is done.
    static func startTransientUnit(_ unit: String, properties: [SystemdProperty]) throws {
        try call(properties) { props, count, err, errlen in
            hull_systemd_start_transient_unit(unit, props, count, jobTimeoutMs, err, errlen)
        }
    }

    /// SetUnitProperties(unit, runtime, properties).
    static func setUnitProperties(_ unit: String, properties: [SystemdProperty]) throws {
        try call(properties) { props, count, err, errlen in
            hull_systemd_set_unit_properties(unit, props, count, err, errlen)
        }
    }

    /// StopUnit(unit, "replace"), waiting for the job, then ResetFailedUnit. A unit systemd no
    /// longer knows counts as stopped.
    static func stopUnit(_ unit: String) throws {
        var err = [CChar](repeating: 0, count: 1024)
        guard hull_systemd_stop_unit(unit, jobTimeoutMs, &err, Int32(err.count)) == 0 else {
            throw HullError(String(cBuffer: err))
        }
    }

    private static func call(
        _ properties: [SystemdProperty],
        _ body: (UnsafePointer<hull_unit_property>?, Int32, UnsafeMutablePointer<CChar>, Int32) -> Int32
    ) throws {
        let arena = CArena()
        let cProperties = properties.map { cProperty($0, arena: arena) }
        var err = [CChar](repeating: 0, count: 1024)
        let rc = cProperties.withUnsafeBufferPointer { buffer in
            err.withUnsafeMutableBufferPointer { errBuffer in
                body(buffer.baseAddress, Int32(buffer.count), errBuffer.baseAddress!, Int32(errBuffer.count))
            }
        }
        guard rc == 0 else { throw HullError(String(cBuffer: err)) }
    }

    /// The shim's form of one property; its memory belongs to `arena`.
    static func cProperty(_ property: SystemdProperty, arena: CArena) -> hull_unit_property {
        var c = hull_unit_property()
        c.name = UnsafePointer(arena.string(property.name))
        func type(_ t: Character) -> CChar { CChar(truncatingIfNeeded: t.asciiValue ?? 0) }
        switch property.value {
        case .string(let text): c.type = type("s"); c.string = UnsafePointer(arena.string(text))
        case .bool(let flag): c.type = type("b"); c.number = flag ? 1 : 0
        case .uint64(let number): c.type = type("t"); c.number = number
        case .int64(let number): c.type = type("x"); c.number = UInt64(bitPattern: number)
        case .uint32(let number): c.type = type("u"); c.number = UInt64(number)
        case .int32(let number): c.type = type("i"); c.number = UInt64(bitPattern: Int64(number))
        case .double(let real): c.type = type("d"); c.real = real
        case .bytes(let bytes):
            c.type = type("Y"); c.items = UnsafeRawPointer(arena.array(bytes)); c.count = bytes.count
        case .uint32Array(let numbers):
            c.type = type("U"); c.items = UnsafeRawPointer(arena.array(numbers)); c.count = numbers.count
        case .strings(let strings):
            c.type = type("S")
            c.items = UnsafeRawPointer(arena.array(strings.map { UnsafePointer(arena.string($0)) }))
            c.count = strings.count
        case .deviceAllow(let entries):
            c.type = type("D")
            let flat = entries.flatMap { [UnsafePointer(arena.string($0.path)), UnsafePointer(arena.string($0.permissions))] }
            c.items = UnsafeRawPointer(arena.array(flat))
            c.count = entries.count
        }
        return c
    }
}
