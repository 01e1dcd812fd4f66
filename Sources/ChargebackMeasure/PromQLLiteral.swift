import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import Foundation

/// Literals for the PromQL we generate: strings, regular expressions from globs, and prices.
public enum PromQLLiteral {
    /// `text` as a double-quoted PromQL string: backslash, quote and control characters escaped,
    /// so a value from the config can never end the string early or change the query.
    public static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\x%02x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Equality matchers for every label, `{a="1",b="2"}` sorted by name: selects that series (and
    /// any with more labels, which the caller filters out).
    public static func labelSet(_ labels: [String: String]) -> String {
        "{"
            + labels.filter { $0.key != "__name__" }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\(string($0.value))" }.joined(separator: ",") + "}"
    }

    /// A decimal number as PromQL text, exactly as written in the price book (`0.8`, `3.75`):
    /// Foundation's `Decimal` prints plain digits, never binary-float artefacts or exponents.
    /// - Throws: ``InputError`` for NaN or a negative value (the price book rejects both already).
    public static func number(_ value: Decimal) throws -> String {
        let text = "\(value)"
        guard !value.isNaN, value >= 0, text.allSatisfy({ $0.isNumber || $0 == "." }) else {
            throw InputError(file: nil, "'\(text)' is not a price PromQL can hold")
        }
        return text
    }

    /// A regex matching exactly `text`.
    public static func literalRegex(_ text: String) -> String {
        text.map(escaped).joined()
    }

    /// Alternatives joined with `|` (Prometheus anchors the whole, so each is anchored).
    public static func alternation(_ regexes: [String]) -> String {
        regexes.joined(separator: "|")
    }

    /// The RE2 regular expression (as Prometheus anchors it, whole value) matching what `glob`
    /// matches with `fnmatch(3)` and no flags: `*` any run of characters, `?` one character,
    /// `[abc]`, `[a-z]` and `[!abc]` classes, `\x` a literal `x`; everything else literal.
    ///
    /// `*` and `?` become `.*` and `.`, which do not match a newline; model names hold none.
    public static func regex(fromGlob glob: String) -> String {
        let characters = Array(glob)
        var out = ""
        var index = 0
        while index < characters.count {
            let character = characters[index]
            switch character {
            case "*": out += ".*"
            case "?": out += "."
            case "\\":
                index += 1
                out += escaped(index < characters.count ? characters[index] : "\\")
            case "[":
                if let (set, end) = bracket(characters, from: index) {
                    out += set
                    index = end
                } else {
                    out += "\\["
                }
            default: out += escaped(character)
            }
            index += 1
        }
        return out
    }

    /// An fnmatch bracket expression starting at `start` as an RE2 class, and the index of its `]`;
    /// `nil` when it is not closed (fnmatch then takes the `[` literally).
    private static func bracket(_ characters: [Character], from start: Int) -> (String, Int)? {
        var index = start + 1
        var out = "["
        if index < characters.count, characters[index] == "!" || characters[index] == "^" {
            out += "^"
            index += 1
        }
        var first = true
        while index < characters.count {
            let character = characters[index]
            if character == "]" && !first { return (out + "]", index) }
            first = false
            if character == "[", index + 1 < characters.count, characters[index + 1] == ":",
                let close = closingClass(characters, from: index + 2)
            {
                out += String(characters[index...close])
                index = close + 1
                continue
            }
            if character == "\\" && index + 1 < characters.count {
                index += 1
                out += inClass(characters[index], literal: true)
            } else {
                out += inClass(character, literal: false)
            }
            index += 1
        }
        return nil
    }

    /// The index of the `]` closing a `[:name:]` class whose name starts at `start`.
    private static func closingClass(_ characters: [Character], from start: Int) -> Int? {
        var index = start
        while index + 1 < characters.count, characters[index].isLetter { index += 1 }
        return index + 1 < characters.count && characters[index] == ":" && characters[index + 1] == "]"
            ? index + 1 : nil
    }

    /// A character inside an RE2 class; `literal` also escapes `-` (fnmatch's `\-`).
    private static func inClass(_ character: Character, literal: Bool) -> String {
        "\\[]^".contains(character) || (literal && character == "-") ? "\\" + String(character) : String(character)
    }

    private static func escaped(_ character: Character) -> String {
        #"\.+*?()|[]{}^$"#.contains(character) ? "\\" + String(character) : String(character)
    }
}
