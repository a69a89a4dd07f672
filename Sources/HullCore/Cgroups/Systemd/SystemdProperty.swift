/// One property of a systemd unit as StartTransientUnit and SetUnitProperties take it: a name
/// and a D-Bus typed value (the `sv` of `a(sv)`).
struct SystemdProperty: Equatable, Sendable {
    enum Value: Equatable, Sendable {
        case string(String)
        case bool(Bool)
        case uint64(UInt64)
        case int64(Int64)
        case uint32(UInt32)
        case int32(Int32)
        case double(Double)
        /// `ay`: AllowedCPUs, AllowedMemoryNodes.
        case bytes([UInt8])
        /// `au`: PIDs.
        case uint32Array([UInt32])
        /// `as`.
        case strings([String])
        /// `a(ss)`: DeviceAllow, (path, permissions) pairs.
        case deviceAllow([DeviceAllow])
    }

    struct DeviceAllow: Equatable, Sendable {
        var path: String
        var permissions: String
    }

    var name: String
    var value: Value

    init(_ name: String, _ value: Value) {
        self.name = name
        self.value = value
    }

    /// systemd's "infinity" for limits (UINT64_MAX).
    static let infinity = UInt64.max
}
