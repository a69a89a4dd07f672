#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Spec {
    /// Reads BUNDLE/config.json, decodes it and validates it.
    ///
    /// Throws a `HullError` whose message starts with `config.json: ` and names the field:
    /// `config.json: open BUNDLE/config.json: no such file or directory`,
    /// `config.json: invalid JSON: ...`, `config.json: process.cwd: required field missing`,
    /// `config.json: linux.resources.memory.limit: expected an integer`, or a rule of `validate()`.
    public static func load(bundle: String) throws -> Spec {
        let bytes: [UInt8]
        do {
            bytes = try ConfigFile.read(ConfigFile.path(inBundle: bundle))
        } catch {
            throw HullError(SpecDecodingError.prefix + error.message)
        }
        let spec = try decode(bytes)
        try spec.validate()
        return spec
    }

    /// Decodes config.json contents without validating them. Throws `HullError` as `load` does.
    public static func decode(_ bytes: [UInt8]) throws -> Spec {
        do {
            return try JSONDecoder().decode(Spec.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw SpecDecodingError.explain(error, decoding: Spec.self, from: bytes)
        }
    }
}

/// Turns a `DecodingError` into a one-line `HullError` naming the field.
enum SpecDecodingError {
    static let prefix = "config.json: "

    /// `JSONDecoder` reports both malformed JSON and numbers that do not fit their property
    /// as "not valid JSON" with an empty path; those are diagnosed again with hull's own parser
    /// and decoder, which say where. Every other error already carries its path.
    static func explain<T: Decodable>(_ error: DecodingError, decoding type: T.Type, from bytes: [UInt8]) -> HullError {
        if case .dataCorrupted(let context) = error, context.codingPath.isEmpty {
            return diagnose(type, from: bytes)
        }
        return HullError(prefix + describe(error))
    }

    private static func diagnose<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) -> HullError {
        let tree: JSONValue
        do {
            tree = try JSONParser.parse(bytes)
        } catch {
            return HullError(prefix + "invalid JSON: " + error.description)
        }
        do {
            _ = try JSONValueDecoder.decode(type, from: tree)
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty {
                return HullError(prefix + "invalid JSON: " + context.debugDescription)
            }
            return HullError(prefix + describe(error))
        } catch {
            return HullError(prefix + "invalid JSON: \(error)")
        }
        return HullError(prefix + "invalid JSON")
    }

    /// `<path>: <problem>`, or just the problem for the top level.
    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(let type, let context):
            return located(context.codingPath, "expected \(kind(of: type))")
        case .valueNotFound(let type, let context):
            return located(context.codingPath, "expected \(kind(of: type)), got null")
        case .keyNotFound(let key, let context):
            return located(context.codingPath + [key], "required field missing")
        case .dataCorrupted(let context):
            return located(context.codingPath, context.debugDescription)
        @unknown default:
            return "\(error)"
        }
    }

    private static func located(_ codingPath: [any CodingKey], _ problem: String) -> String {
        let path = ConfigPath.format(codingPath)
        return path.isEmpty ? "top level: " + problem : path + ": " + problem
    }

    /// How a JSON value of Swift type `type` is named: "an integer", "an object", ...
    static func kind(of type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "a boolean"
        case is any FixedWidthInteger.Type: return "an integer"
        case is any BinaryFloatingPoint.Type: return "a number"
        default: break
        }
        // Both decoders report containers as `[Any]` (arrays) and `[String: Any]` (objects).
        return ObjectIdentifier(type) == ObjectIdentifier([Any].self) ? "an array" : "an object"
    }
}
