/// Lists of CPU or NUMA node numbers in the kernel's list format, "0-3,7": used by
/// `linux.resources.cpu.cpus`/`mems`, `process.execCPUAffinity` and `linux.memoryPolicy.nodes`.
public enum CPUList {
    /// The largest number accepted; a sanity limit (runc's) against absurd masks.
    public static let maximumID = 64 * 1024

    /// The ranges `text` lists, or nil if it is malformed. Spaces around elements and empty
    /// elements are tolerated, as the kernel and runc do; an empty text is an empty list.
    public static func parse(_ text: String) -> [ClosedRange<Int>]? {
        var ranges: [ClosedRange<Int>] = []
        for element in text.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = element.trimmingSpaces
            if trimmed.isEmpty { continue }
            let bounds = trimmed.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
            guard let low = number(bounds[0]) else { return nil }
            let high = bounds.count == 2 ? number(bounds[1]) : low
            guard let high, low <= high else { return nil }
            ranges.append(low...high)
        }
        if ranges.isEmpty && !text.isEmpty { return nil }
        return ranges
    }

    /// How many numbers `ranges` holds, counting overlaps once.
    public static func count(_ ranges: [ClosedRange<Int>]) -> Int {
        var members = Set<Int>()
        for range in ranges { members.formUnion(range) }
        return members.count
    }

    private static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let value = Int(text),
              value <= maximumID else { return nil }
        return value
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}
