import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import Foundation

/// The PromQL the fetch generates, parsed for ``InMemoryBackend``: a series selector
/// (`name{label="v",other=~"a|b"}`), optionally a range (`[3599999ms]`), optionally inside one of
/// the `_over_time` functions the plan uses. Anything else is not understood (`nil`).
struct SelectorExpression: Equatable {
    enum Function: String {
        case count = "count_over_time"
        case last = "last_over_time"
        case min = "min_over_time"
    }
    enum Operator: String {
        case equal = "="
        case notEqual = "!="
        case matches = "=~"
        case notMatches = "!~"
    }
    struct Matcher: Equatable {
        let label: String
        let op: Operator
        let value: String
    }

    var function: Function?
    var matchers: [Matcher] = []
    /// The range in milliseconds, for a range selector.
    var rangeMillis: Int64?

    init?(_ text: String) {
        var scanner = Scanner(Array(text.unicodeScalars))
        if let name = scanner.identifier(), scanner.peek == "(" {
            guard let function = Function(rawValue: name) else { return nil }
            self.function = function
            scanner.advance()
            let inner = scanner.identifier()
            guard parseSelector(&scanner, name: inner), scanner.take(")") else { return nil }
        } else {
            scanner.position = 0
            let name = scanner.identifier()
            guard parseSelector(&scanner, name: name) else { return nil }
        }
        guard scanner.atEnd, function == nil || rangeMillis != nil else { return nil }
    }

    private mutating func parseSelector(_ scanner: inout Scanner, name: String?) -> Bool {
        if let name { matchers.append(Matcher(label: "__name__", op: .equal, value: name)) }
        if scanner.take("{") {
            while !scanner.take("}") {
                guard let label = scanner.identifier(), let op = scanner.matchOperator(),
                    let value = scanner.quoted()
                else { return false }
                matchers.append(Matcher(label: label, op: op, value: value))
                _ = scanner.take(",")
            }
        }
        guard !matchers.isEmpty else { return false }
        if scanner.take("[") {
            guard let millis = scanner.duration(), scanner.take("]") else { return false }
            rangeMillis = millis
        }
        return true
    }

    /// Whether a series with `labels` is selected (a regular expression matches the whole value).
    func selects(_ labels: [String: String]) -> Bool {
        matchers.allSatisfy { matcher in
            let value = labels[matcher.label] ?? ""
            switch matcher.op {
            case .equal: return value == matcher.value
            case .notEqual: return value != matcher.value
            case .matches, .notMatches:
                let whole = value.range(of: "^(?:\(matcher.value))$", options: .regularExpression) != nil
                return whole == (matcher.op == .matches)
            }
        }
    }
}

/// A cursor over PromQL text.
private struct Scanner {
    let text: [Unicode.Scalar]
    var position = 0
    init(_ text: [Unicode.Scalar]) { self.text = text }

    var atEnd: Bool { position >= text.count }
    var peek: Unicode.Scalar? { atEnd ? nil : text[position] }
    mutating func advance() { position += 1 }

    mutating func take(_ character: Unicode.Scalar) -> Bool {
        guard peek == character else { return false }
        position += 1
        return true
    }

    mutating func identifier() -> String? {
        var out = String.UnicodeScalarView()
        while let next = peek,
            next == "_" || next == ":" || next.properties.isAlphabetic
                || ("0"..."9").contains(next) && !out.isEmpty
        {
            out.append(next)
            advance()
        }
        return out.isEmpty ? nil : String(out)
    }

    mutating func matchOperator() -> SelectorExpression.Operator? {
        for op in [SelectorExpression.Operator.matches, .notMatches, .notEqual, .equal] {
            let scalars = Array(op.rawValue.unicodeScalars)
            if position + scalars.count <= text.count, Array(text[position..<position + scalars.count]) == scalars {
                position += scalars.count
                return op
            }
        }
        return nil
    }

    /// A double-quoted string with PromQL's escapes (`\\`, `\"`, `\n`, `\r`, `\t`, `\xHH`).
    mutating func quoted() -> String? {
        guard take("\"") else { return nil }
        var out = String.UnicodeScalarView()
        while let next = peek {
            advance()
            if next == "\"" { return String(out) }
            guard next == "\\" else {
                out.append(next)
                continue
            }
            guard let escaped = peek else { return nil }
            advance()
            switch escaped {
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "t": out.append("\t")
            case "x":
                guard position + 2 <= text.count,
                    let value = UInt32(String(String.UnicodeScalarView(text[position..<position + 2])), radix: 16),
                    let scalar = Unicode.Scalar(value)
                else { return nil }
                position += 2
                out.append(scalar)
            default: out.append(escaped)
            }
        }
        return nil
    }

    /// A duration such as `3599999ms`, `6h` or `1d`, in milliseconds.
    mutating func duration() -> Int64? {
        var digits = ""
        while let next = peek, ("0"..."9").contains(next) {
            digits.unicodeScalars.append(next)
            advance()
        }
        guard let number = Int64(digits) else { return nil }
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        for (unit, factor) in units {
            let scalars = Array(unit.unicodeScalars)
            if position + scalars.count <= text.count, Array(text[position..<position + scalars.count]) == scalars {
                position += scalars.count
                return number * factor
            }
        }
        return nil
    }
}
