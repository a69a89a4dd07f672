#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension LinuxResources {
    /// The resources of `hull update -r PATH`: a JSON file in config.json's
    /// `linux.resources` form, or standard input for "-".
    public static func load(from path: String) throws -> LinuxResources {
        let bytes: [UInt8]
        do {
            bytes = try FileIO.read(path == "-" ? "/proc/self/fd/0" : path)
        } catch let error as HullError {
            throw HullError("update: -r \(path): \(error.message)")
        }
        do {
            return try JSONDecoder().decode(LinuxResources.self, from: Data(bytes))
        } catch {
            let text = String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " ")
            throw HullError("update: -r \(path): invalid resources JSON: \(text)")
        }
    }
}
