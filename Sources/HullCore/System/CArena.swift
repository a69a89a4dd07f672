#if canImport(Glibc)
import Glibc
#endif

/// Owns the C memory handed to the shim: strings, NULL-terminated string arrays and struct
/// arrays. Everything lives until the arena is released, after the child has been spawned
/// (the child has its own copy of the address space).
final class CArena {
    private var allocations: [UnsafeMutableRawPointer] = []

    deinit {
        for pointer in allocations { free(pointer) }
    }

    /// A copy of `string` as a C string.
    func string(_ string: String) -> UnsafeMutablePointer<CChar> {
        let copy = strdup(string)!
        allocations.append(UnsafeMutableRawPointer(copy))
        return copy
    }

    /// A copy of `string`, or NULL for nil.
    func optionalString(_ string: String?) -> UnsafePointer<CChar>? {
        string.map { UnsafePointer(self.string($0)) }
    }

    /// A NULL-terminated array of C strings (argv, envp).
    func stringArray(_ strings: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> {
        let array = buffer(of: UnsafeMutablePointer<CChar>?.self, count: strings.count + 1)
        for (index, string) in strings.enumerated() { array[index] = self.string(string) }
        array[strings.count] = nil
        return array
    }

    /// A C array holding `values`, or NULL when empty.
    func array<T>(_ values: [T]) -> UnsafeMutablePointer<T>? {
        guard !values.isEmpty else { return nil }
        let array = buffer(of: T.self, count: values.count)
        for (index, value) in values.enumerated() { (array + index).initialize(to: value) }
        return array
    }

    private func buffer<T>(of type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        let raw = malloc(MemoryLayout<T>.stride * max(count, 1))!
        allocations.append(raw)
        return raw.bindMemory(to: T.self, capacity: count)
    }
}
