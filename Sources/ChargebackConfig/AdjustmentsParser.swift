import ChargebackModel
import Foundation

/// Reads the `adjustments:` block of `pricing.yaml` (discounts, markup, fixed, credits).
enum AdjustmentsParser {
    static func parse(_ node: YAMLValue) throws -> AdjustmentTerms {
        try node.allowKeys(["discounts", "markup", "fixed", "credits"])
        let discounts = try list(node, "discounts").map { item in
            try item.allowKeys(["match", "percent", "from", "to"])
            var match: [String: Glob] = [:]
            if let matchNode = try item.optional("match") {
                for (key, value) in try matchNode.entries() {
                    guard PromQLText.isLabelName(key) else { throw value.error("'\(key)' is not a label name") }
                    match[key] = Glob(try value.string())
                }
            }
            return Discount(
                match: match, percent: try percent(item, upTo: 100), span: try span(item),
                origin: origin(item))
        }
        let markups = try list(node, "markup").map { item in
            try item.allowKeys(["percent", "from", "to"])
            return Markup(percent: try percent(item, upTo: nil), span: try span(item), origin: origin(item))
        }
        let fixed = try list(node, "fixed").map { try charge($0, sign: 1) }
        let credits = try list(node, "credits").map { try charge($0, sign: -1) }
        return AdjustmentTerms(discounts: discounts, markups: markups, fixed: fixed, credits: credits)
    }

    /// A list under `key`; a single mapping counts as a list of one.
    private static func list(_ node: YAMLValue, _ key: String) throws -> [YAMLValue] {
        guard let value = try node.optional(key) else { return [] }
        if case .mapping = value.node { return [value] }
        return try value.items()
    }

    private static func percent(_ item: YAMLValue, upTo limit: Decimal?) throws -> Decimal {
        let node = try item.required("percent")
        let value = try node.decimal()
        guard value > 0 else { throw node.error("a percent must be more than 0") }
        if let limit, value > limit { throw node.error("a discount cannot pass \(limit) percent") }
        return value
    }

    /// `from`/`to` dates, or `month: 2026-10` for one calendar month.
    private static func span(_ item: YAMLValue) throws -> AdjustmentSpan {
        if let monthNode = try item.optional("month") {
            guard try item.optional("from") == nil, try item.optional("to") == nil else {
                throw monthNode.error("give either 'month' or 'from'/'to', not both")
            }
            let text = try monthNode.string()
            let parts = text.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 2, text.count == 7, (1...12).contains(parts[1]) else {
                throw monthNode.error("expected a month like 2026-10, found '\(text)'")
            }
            let next = parts[1] == 12 ? (parts[0] + 1, 1) : (parts[0], parts[1] + 1)
            return AdjustmentSpan(
                from: .day(year: parts[0], month: parts[1], day: 1),
                to: .day(year: next.0, month: next.1, day: 1))
        }
        let fromNode = try item.required("from")
        let from = try date(fromNode)
        let to = try item.optional("to").map(date)
        if let to, case (.day(let a, let b, let c), .day(let x, let y, let z)) = (from, to), (x, y, z) <= (a, b, c) {
            throw try item.required("to").error("'to' must come after 'from'")
        }
        return AdjustmentSpan(from: from, to: to)
    }

    private static func date(_ node: YAMLValue) throws -> AdjustmentDate {
        let text = try node.string()
        let utc = TimeZone(identifier: "UTC")!
        if text.count == 10, let day = DateText.parseDay(text, in: utc) {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = utc
            let parts = calendar.dateComponents([.year, .month, .day], from: day)
            return .day(year: parts.year!, month: parts.month!, day: parts.day!)
        }
        guard let instant = DateText.parseInstant(text) else {
            throw node.error("expected a date like 2026-10-01 or an RFC 3339 time, found '\(text)'")
        }
        return .instant(instant)
    }

    private static func charge(_ item: YAMLValue, sign: Decimal) throws -> FixedCharge {
        try item.allowKeys(["name", "amount", "from", "to", "month", "allocate"])
        let nameNode = try item.required("name")
        let name = try nameNode.string()
        guard !name.isEmpty, !name.contains(where: { $0.isNewline || $0.asciiValue.map { $0 < 32 } == true }) else {
            throw nameNode.error("a name must be one line of text")
        }
        let amountNode = try item.required("amount")
        let amount = try amountNode.decimal()
        guard amount > 0 else {
            throw amountNode.error(
                sign < 0
                    ? "write a credit as a positive amount; it is subtracted"
                    : "a fixed amount must be more than 0")
        }
        return FixedCharge(
            name: name, monthlyAmount: sign * amount, span: try span(item),
            spread: try spread(try item.optional("allocate")), origin: origin(item),
            line: item.node.mark?.line)
    }

    /// `proportional` (default), `even`, `{ weights: { A: 2 } }` or `{ team: A }`.
    private static func spread(_ node: YAMLValue?) throws -> AdjustmentSpread {
        guard let node else { return .proportional }
        if case .mapping = node.node {
            try node.allowKeys(["weights", "team"])
            if let team = try node.optional("team") {
                guard try node.optional("weights") == nil else { throw node.error("give either 'team' or 'weights'") }
                return .team(try team.string())
            }
            var weights: [String: Decimal] = [:]
            for (team, value) in try node.required("weights").entries() {
                let weight = try value.decimal()
                guard weight > 0 else { throw value.error("weights must be positive") }
                weights[team] = weight
            }
            guard !weights.isEmpty else { throw try node.required("weights").error("needs at least one team") }
            return .weights(weights)
        }
        switch try node.oneOf(["proportional", "even"]) {
        case "even": return .even
        default: return .proportional
        }
    }

    /// `pricing.yaml:31`: the file's name and the entry's line.
    private static func origin(_ value: YAMLValue) -> String {
        URL(fileURLWithPath: value.file).lastPathComponent + (value.node.mark.map { ":\($0.line)" } ?? "")
    }
}
