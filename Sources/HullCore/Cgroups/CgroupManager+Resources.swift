#if canImport(Glibc)
import Glibc
#endif

extension CgroupManager {
    /// Writes `resources` to the container's cgroup: the v2 plan on a pure v2 host, the v1 plan
    /// otherwise. A refused write is an error naming the config field: `config.json:
    /// linux.resources.memory.limit: write memory.limit_in_bytes "...": invalid argument`.
    func apply(_ resources: LinuxResources, includeDevices: Bool, errorPrefix: String) throws {
        let probe = fileProbe()
        let writes: [CgroupWrite]
        do {
            writes = isUnified
                ? try CgroupV2Plan(probe: probe).writes(resources)
                : try CgroupV1Plan(probe: probe).writes(resources, devices: devices, includeDevices: includeDevices)
        } catch let error as HullError {
            throw HullError(errorPrefix + error.message)
        }
        if isUnified && includeDevices {
            try applyDeviceFilter(resources.devices, errorPrefix: errorPrefix)
        }
        for write in writes {
            try perform(write, errorPrefix: errorPrefix)
        }
    }

    /// cgroup v2: the device rules as an eBPF program on the container's directory, replacing
    /// the one attached before (CgroupDeviceFilter). `rules` is linux.resources.devices; the
    /// nodes of `devices` and the defaults are added as on v1.
    func applyDeviceFilter(_ rules: [LinuxDeviceCgroup]?, errorPrefix: String) throws {
        guard let dir = paths[""] else { return }
        do {
            try CgroupDeviceFilter.apply(CgroupDeviceRules.rules(resources: rules ?? [], devices: devices), to: dir)
        } catch let error as HullError {
            throw HullError("\(errorPrefix)linux.resources.devices: \(error.message)")
        }
    }

    /// Reads and existence checks relative to the controller's directory.
    func fileProbe() -> CgroupFileProbe {
        let manager = self
        return CgroupFileProbe(
            exists: { controller, file in manager.directory(for: controller).map { FileIO.exists($0 + "/" + file) } ?? false },
            read: { controller, file in manager.directory(for: controller).flatMap { try? FileIO.readString($0 + "/" + file) } }
        )
    }

    private func perform(_ write: CgroupWrite, errorPrefix: String) throws {
        let failure = { (problem: String) in HullError("\(errorPrefix)\(write.field): \(problem)") }
        guard let dir = directory(for: write.controller) else { throw failure(Self.unavailable(write.controller)) }
        let path = dir + "/" + write.file
        // No existence check first: the open fails with ENOENT for a file the kernel lacks.
        let err = Self.writeFile(path, write.value)
        if err == ENOENT {
            throw failure(unavailableController(of: write).map(Self.unavailable) ?? "no file \(write.file) in \(dir)")
        }
        guard err == 0 else {
            throw failure("write \(write.file) \(quoted(write.value)): \(Errno.describe(err))")
        }
        // The kernel clamps cpu.shares silently: say so rather than run with another value.
        if write.file == "cpu.shares", let actual = try? FileIO.readString(path).trimmingWhitespace, actual != write.value {
            throw failure("cpu.shares \(write.value) is out of the kernel's range (it set \(actual))")
        }
    }

    /// One write(2) of `text`; the errno, or 0.
    static func writeFile(_ path: String, _ text: String) -> Int32 {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        return written == bytes.count ? 0 : (written < 0 ? errno : EIO)
    }
}
