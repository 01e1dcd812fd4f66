import ChargebackModel
import Foundation

/// Reads `pricing.yaml` into a ``PriceBook``.
package enum PriceBookParser {
    package static func parse(_ root: YAMLValue) throws -> PriceBook {
        try root.allowKeys(["currency", "models", "unpriced", "adjustments"])
        let currency = try root.optional("currency").map(CurrencySettingsParser.code) ?? "USD"
        let unpriced =
            try root.optional("unpriced")
            .map { UnpricedPolicy(rawValue: try $0.oneOf(["error", "warn"]))! } ?? .error
        var models: [ModelPricing] = []
        for entry in try root.required("models").items() {
            try entry.allowKeys(["match", "prices"])
            let (pattern, labels) = try parseMatch(try entry.required("match"))
            var points: [PricePoint] = []
            for item in try entry.required("prices").items() {
                let point = try parsePoint(item)
                if let previous = points.last, point.from <= previous.from {
                    throw item.error(
                        "price dates must increase: \(DateText.priceStart(point.from)) is not after "
                            + "\(DateText.priceStart(previous.from)) (overlapping or unsorted dates)")
                }
                points.append(point)
            }
            guard !points.isEmpty else { throw try entry.required("prices").error("needs at least one price") }
            models.append(ModelPricing(match: Glob(pattern), labels: labels, prices: points))
        }
        let adjustments = try root.optional("adjustments").map(AdjustmentsParser.parse) ?? AdjustmentTerms()
        return PriceBook(currency: currency, models: models, unpriced: unpriced, adjustments: adjustments)
    }

    /// `match:` is a model glob, or a map of label globs (`{ model: "claude-*", system: aws.bedrock,
    /// route: batch }`) whose `model` defaults to `*`.
    private static func parseMatch(_ node: YAMLValue) throws -> (model: String, labels: [String: Glob]) {
        guard case .mapping = node.node else {
            let pattern = try node.string()
            guard !pattern.isEmpty else { throw node.error("must not be empty") }
            return (pattern, [:])
        }
        var model = "*"
        var labels: [String: Glob] = [:]
        let entries = try node.entries()
        guard !entries.isEmpty else { throw node.error("needs at least one label, e.g. { model: \"claude-*\" }") }
        for (key, value) in entries {
            guard PromQLText.isLabelName(key) else { throw value.error("'\(key)' is not a label name") }
            let pattern = try value.string()
            guard !pattern.isEmpty else { throw value.error("must not be empty") }
            if key == "model" { model = pattern } else { labels[key] = Glob(pattern) }
        }
        return (model, labels)
    }

    private static func parsePoint(_ item: YAMLValue) throws -> PricePoint {
        try item.allowKeys(["from", "input", "output", "cache_read", "cache_write"])
        let fromNode = try item.required("from")
        let fromText = try fromNode.string()
        guard let from = DateText.parseDateOrInstant(fromText, in: TimeZone(identifier: "UTC")!) else {
            throw fromNode.error("expected a date like 2025-09-29 or an RFC 3339 time, found '\(fromText)'")
        }
        func price(_ key: String) throws -> Decimal? {
            guard let node = try item.optional(key) else { return nil }
            let value = try node.decimal()
            guard value >= 0 else { throw node.error("a price cannot be negative") }
            return value
        }
        let point = PricePoint(
            from: from, input: try price("input"), output: try price("output"),
            cacheRead: try price("cache_read"), cacheWrite: try price("cache_write"))
        guard point.input != nil || point.output != nil else { throw item.error("needs at least input or output") }
        return point
    }
}
