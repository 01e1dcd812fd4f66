import ChargebackModel
import Foundation
import Yams

/// A YAML node together with the file it came from, so every accessor can throw an
/// ``InputError`` that names the file, line and column of the offending value.
public struct YAMLValue {
    public let node: Node
    public let file: String
    /// The key path from the document root, for messages (`prometheus.timeout`).
    public let path: String

    /// Parses a YAML file into its root value.
    /// - Throws: ``InputError`` when the file cannot be read or is not valid YAML.
    public static func load(contentsOf url: URL, displayName: String) throws -> YAMLValue {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw InputError(file: displayName, "cannot read the file (\(Self.reason(error))); check the path")
        }
        return try parse(text, file: displayName)
    }

    /// Parses YAML text; `file` is used only in messages.
    public static func parse(_ text: String, file: String) throws -> YAMLValue {
        do {
            try YAMLPrescan.check(text, file: file)
            guard let node = try Yams.compose(yaml: text) else {
                throw InputError(file: file, line: 1, column: 1, "the file is empty")
            }
            return YAMLValue(node: node, file: file, path: "")
        } catch let error as InputError {
            throw error
        } catch let error as YamlError {
            throw Self.inputError(from: error, file: file)
        } catch {
            throw InputError(file: file, "not valid YAML: \(error)")
        }
    }

    private static func inputError(from error: YamlError, file: String) -> InputError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            return InputError(file: file, line: mark.line, column: mark.column, "not valid YAML: \(detail)")
        case .reader(let problem, let offset, let value, let yaml):
            // libyaml's reader (control characters, bad encodings) gives an offset, not a mark.
            let mark = offset.flatMap { Self.mark(atCharacter: $0, in: yaml) }
            let character = value >= 0 ? String(format: " (U+%04X)", value) : ""
            return InputError(
                file: file, line: mark?.line, column: mark?.column,
                "not valid YAML: \(problem)\(character)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return InputError(
                file: file, line: context.mark.line, column: context.mark.column,
                "duplicate key(s) \(duplicates.joined(separator: ", "))")
        default:
            return InputError(file: file, "not valid YAML: \(error)")
        }
    }

    /// 1-based line and column (in Unicode scalars, as libyaml counts) of the `offset`-th character.
    private static func mark(atCharacter offset: Int, in text: String) -> (line: Int, column: Int)? {
        guard let index = text.index(text.startIndex, offsetBy: offset, limitedBy: text.endIndex) else { return nil }
        var line = 1
        var column = 1
        for scalar in text[..<index].unicodeScalars {
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }

    private static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError,
            let posix = POSIXErrorCode(rawValue: Int32(underlying.code))
        {
            return String(cString: strerror(posix.rawValue))
        }
        return ns.localizedDescription
    }

    // MARK: - Errors at this value

    /// An ``InputError`` located at this value.
    public func error(_ message: String) -> InputError {
        let subject = path.isEmpty ? "" : "\(path): "
        return InputError(file: file, line: node.mark?.line, column: node.mark?.column, subject + message)
    }

    // MARK: - Mappings

    /// The pairs of a mapping in file order, keys as strings.
    public func entries() throws -> [(key: String, value: YAMLValue)] {
        guard case .mapping(let mapping) = node else { throw error("expected a mapping (key: value)") }
        return try mapping.map { pair in
            guard let key = pair.key.string else { throw child(pair.key, "?").error("keys must be text") }
            return (key, child(pair.value, key))
        }
    }

    /// The value under `key`, or `nil` when the key is absent or explicitly null.
    public func optional(_ key: String) throws -> YAMLValue? {
        guard case .mapping(let mapping) = node else { throw error("expected a mapping (key: value)") }
        guard let value = mapping[key], !Self.isNull(value) else { return nil }
        return child(value, key)
    }

    /// The value under `key`.
    /// - Throws: ``InputError`` at this mapping when the key is missing.
    public func required(_ key: String) throws -> YAMLValue {
        guard let value = try optional(key) else { throw error("missing required key '\(key)'") }
        return value
    }

    /// Rejects keys this program does not know, so a typo is not silently ignored. The message
    /// points at the key (not its value) and suggests the nearest known key.
    public func allowKeys(_ known: Set<String>) throws {
        guard case .mapping(let mapping) = node else { throw error("expected a mapping (key: value)") }
        for pair in mapping {
            guard let key = pair.key.string else { throw child(pair.key, "?").error("keys must be text") }
            guard !known.contains(key) else { continue }
            let hint = known.sorted().joined(separator: ", ")
            let guess = KeySuggestion.nearest(to: key, in: known).map { " (did you mean '\($0)'?)" } ?? ""
            let place = child(pair.key, key)
            throw place.error("unknown key '\(key)'\(guess); known keys here: \(hint)")
        }
    }

    // MARK: - Sequences

    /// The items of a sequence.
    public func items() throws -> [YAMLValue] {
        guard case .sequence(let sequence) = node else { throw error("expected a list") }
        return sequence.enumerated().map { index, item in child(item, "[\(index)]", separator: "") }
    }

    // MARK: - Scalars

    /// This value as text. Numbers and booleans are accepted as their literal text.
    public func string() throws -> String {
        guard case .scalar(let scalar) = node else { throw error("expected a text value") }
        return scalar.string
    }

    /// This value as an exact decimal number (never through binary floating point).
    public func decimal() throws -> Decimal {
        let text = try string().trimmingCharacters(in: .whitespaces)
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")),
            text.range(of: #"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"#, options: .regularExpression) != nil
        else { throw error("expected a number, found '\(text)'") }
        // Decimal traps when a product or quotient leaves its exponent range; this keeps every
        // price, budget, share and threshold far inside it.
        guard value == 0 || (Self.smallestNumber...Self.largestNumber).contains(abs(value)) else {
            throw error("'\(text)' is out of range: use 0 or a size between 1e-15 and 1e15")
        }
        return value
    }

    private static let smallestNumber = Decimal(sign: .plus, exponent: -15, significand: 1)
    private static let largestNumber = Decimal(sign: .plus, exponent: 15, significand: 1)

    /// This value as an integer.
    public func int() throws -> Int {
        let text = try string()
        guard let value = Int(text) else { throw error("expected a whole number, found '\(text)'") }
        return value
    }

    /// This value as a boolean (`true`/`false`).
    public func bool() throws -> Bool {
        guard let value = node.bool else { throw error("expected true or false, found '\((try? string()) ?? "")'") }
        return value
    }

    /// This value as a duration such as `60s`, `5m`, `1h30m`, `2d`; returns seconds.
    public func duration() throws -> Double {
        let text = try string()
        guard let seconds = DurationText.seconds(text) else {
            throw error("expected a duration like 30s, 5m or 1h, found '\(text)'")
        }
        return seconds
    }

    /// One of a fixed set of words.
    public func oneOf(_ choices: [String]) throws -> String {
        let text = try string()
        guard choices.contains(text) else {
            throw error("expected one of \(choices.joined(separator: ", ")), found '\(text)'")
        }
        return text
    }

    // MARK: - Private

    private func child(_ node: Node, _ key: String, separator: String = ".") -> YAMLValue {
        YAMLValue(node: node, file: file, path: path.isEmpty ? key : path + separator + key)
    }

    private static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }
}
