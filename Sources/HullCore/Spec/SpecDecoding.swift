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
        try SpecDecodingError.decode(Spec.self, from: bytes)
    }
}

/// Decodes config.json's types with hull's own parser and decoder (JSONValueDecoder says why),
/// and turns a failure into a one-line `HullError` naming the field.
enum SpecDecodingError {
    static let prefix = "config.json: "

    /// `config.json: invalid JSON: ...` or `config.json: <path>: <problem>`.
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        let tree: JSONValue
        do {
            tree = try JSONParser.parse(bytes)
        } catch {
            throw HullError(prefix + "invalid JSON: " + error.description)
        }
        do {
            return try JSONValueDecoder.decode(type, from: tree)
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty {
                throw HullError(prefix + "invalid JSON: " + context.debugDescription)
            }
            throw HullError(prefix + describe(error))
        }
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
