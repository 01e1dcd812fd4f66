import Foundation

/// October's provider invoices for the sample world, from the ground truth, in the three formats
/// `chargeback report --invoice` reads: an Anthropic cost report, an OpenAI costs answer, and the
/// same charges as one FOCUS CSV (an alternative to the two JSON files, not an addition).
///
/// What the invoices hold beyond list price × true tokens, which a reconciliation must find:
/// - a negotiated discount of ``anthropicDiscountPercent`` % on every Anthropic charge (declared in
///   Samples/pricing.yaml, so it is no difference);
/// - Claude Sonnet's cache writes from ``surchargeFrom`` on billed as 1-hour writes at 2× input
///   (6.00 per million instead of 3.75), a difference on those days;
/// - one charge no counter sees: ``webSearchCents`` cents of web search on ``webSearchDay``.
struct InvoiceWriter {
    let truth: GroundTruth

    static let monthStart = UTC.millis(2026, 10, 1)
    static let monthEnd = UTC.millis(2026, 11, 1)
    static let anthropicDiscountPercent: Int64 = 10
    static let surchargeFrom = UTC.millis(2026, 10, 20)
    static let surchargeCentsPerMillion: Int64 = 600
    static let webSearchDay = UTC.millis(2026, 10, 14)
    static let webSearchCents: Int64 = 1_234

    /// One invoice charge: a UTC day, a model (`nil` for web search), a token type, an amount in
    /// units of 10⁻⁹ USD (exact for every price of the catalog).
    struct Charge {
        let day: Millis
        let model: Int?
        let type: TokenType?
        let oneHour: Bool
        let nanoUSD: Int64
    }

    /// Writes nothing when the history does not cover October.
    func write(into directory: String) throws {
        let first = truth.firstHour
        let last = first + Millis(truth.hourCount) * UTC.hour
        guard first <= Self.monthStart && last >= Self.monthEnd else { return }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let charges = self.charges()
        try write(anthropic(charges), to: directory, "anthropic-cost-report-2026-10.json")
        try write(openai(charges), to: directory, "openai-costs-2026-10.json")
        try write(focus(charges), to: directory, "focus-2026-10.csv")
    }

    func charges() -> [Charge] {
        var result: [Charge] = []
        var day = Self.monthStart
        while day < Self.monthEnd {
            let hours = Int((day - truth.firstHour) / UTC.hour)..<Int((day + UTC.day - truth.firstHour) / UTC.hour)
            for (index, model) in Catalog.models.enumerated() {
                var tokens = TokenCounts()
                for hour in hours {
                    for gateway in World.gateways.indices {
                        for type in TokenType.allCases {
                            tokens[type] += truth.tokens(hour: hour, gateway: gateway, model: index, type: type)
                        }
                    }
                }
                for type in TokenType.allCases {
                    guard var price = model.centsPerMillion[type.rawValue] else { continue }
                    var count = tokens[type]
                    if type == .input && model.inputIncludesCacheRead { count -= tokens[.cacheRead] }
                    let oneHour = type == .cacheWrite && index == Catalog.sonnet && day >= Self.surchargeFrom
                    if oneHour { price = Self.surchargeCentsPerMillion }
                    guard count > 0 else { continue }
                    // tokens × cents per million = 10⁻⁸ USD; × 10 = 10⁻⁹ USD.
                    var amount = count * price * 10
                    if model.system == "anthropic" { amount = amount * (100 - Self.anthropicDiscountPercent) / 100 }
                    result.append(Charge(day: day, model: index, type: type, oneHour: oneHour, nanoUSD: amount))
                }
            }
            if day == Self.webSearchDay {
                result.append(
                    Charge(day: day, model: nil, type: nil, oneHour: false, nanoUSD: Self.webSearchCents * 10_000_000))
            }
            day += UTC.day
        }
        return result
    }

    /// `value` × 10⁻ᵈⁱᵍⁱᵗˢ as plain decimal text.
    static func decimal(_ value: Int64, digits: Int) -> String {
        let scale = (0..<digits).reduce(Int64(1)) { product, _ in product * 10 }
        let fraction = String(value % scale)
        return "\(value / scale)." + String(repeating: "0", count: digits - fraction.count) + fraction
    }

    private func anthropic(_ charges: [Charge]) -> String {
        let tokenTypes: [TokenType: String] = [
            .input: "uncached_input_tokens", .output: "output_tokens",
            .cacheRead: "cache_read_input_tokens",
        ]
        var buckets: [String] = []
        var day = Self.monthStart
        while day < Self.monthEnd {
            let results = charges.filter {
                $0.day == day && ($0.model.map { Catalog.models[$0].system == "anthropic" } ?? true)
            }
            .map { charge -> String in
                // Cents as a decimal string: 10⁻⁹ USD = 10⁻⁷ cents.
                let amount = Self.decimal(charge.nanoUSD, digits: 7)
                guard let model = charge.model, let type = charge.type else {
                    return
                        #"{"amount": "\#(amount)", "context_window": null, "cost_type": "web_search", "currency": "USD", "#
                        + #""description": "Web Search Usage", "model": null, "service_tier": null, "token_type": null, "workspace_id": null}"#
                }
                let tokenType =
                    type == .cacheWrite
                    ? (charge.oneHour
                        ? "cache_creation.ephemeral_1h_input_tokens" : "cache_creation.ephemeral_5m_input_tokens")
                    : tokenTypes[type]!
                return
                    #"{"amount": "\#(amount)", "context_window": "0-200k", "cost_type": "tokens", "currency": "USD", "#
                    + #""description": "Claude API Usage", "model": "\#(Catalog.models[model].id)", "service_tier": "standard", "#
                    + #""token_type": "\#(tokenType)", "workspace_id": null}"#
            }
            buckets.append(
                #"{"starting_at": "\#(UTC.format(day))", "ending_at": "\#(UTC.format(day + UTC.day))", "#
                    + #""results": [\#n      "# + results.joined(separator: ",\n      ") + "]}")
            day += UTC.day
        }
        return "{\"data\": [\n    " + buckets.joined(separator: ",\n    ")
            + "\n  ], \"has_more\": false, \"next_page\": null}\n"
    }

    private func openai(_ charges: [Charge]) -> String {
        let names: [TokenType: String] = [.input: "input", .output: "output", .cacheRead: "cached input"]
        var buckets: [String] = []
        var day = Self.monthStart
        while day < Self.monthEnd {
            let results = charges.filter { charge in
                charge.day == day && charge.model.map { Catalog.models[$0].system == "openai" } == true
            }.map { charge in
                #"{"object": "organization.costs.result", "amount": {"value": \#(Self.decimal(charge.nanoUSD, digits: 9)), "#
                    + #""currency": "usd"}, "line_item": "\#(Catalog.models[charge.model!].id), \#(names[charge.type!]!)", "project_id": null}"#
            }
            buckets.append(
                #"{"object": "bucket", "start_time": \#(day / 1000), "end_time": \#((day + UTC.day) / 1000), "#
                    + #""results": [\#n      "# + results.joined(separator: ",\n      ") + "]}")
            day += UTC.day
        }
        return "{\"object\": \"page\", \"data\": [\n    " + buckets.joined(separator: ",\n    ")
            + "\n  ], \"has_more\": false, \"next_page\": null}\n"
    }

    private func focus(_ charges: [Charge]) -> String {
        var lines = [
            "BilledCost,BillingCurrency,ChargeCategory,ChargeDescription,ChargePeriodEnd,ChargePeriodStart,"
                + "ProviderName,ServiceName,x_Model"
        ]
        let words: [TokenType: String] = [
            .input: "input tokens", .output: "output tokens", .cacheRead: "cache reads",
            .cacheWrite: "5m cache writes",
        ]
        for charge in charges {
            let model = charge.model.map { Catalog.models[$0] }
            let provider = model?.system == "openai" ? "OpenAI" : "Anthropic"
            let what = charge.oneHour ? "1h cache writes" : charge.type.map { words[$0]! } ?? "web search"
            lines.append(
                "\(Self.decimal(charge.nanoUSD, digits: 9)),USD,Usage,\(what),\(UTC.format(charge.day + UTC.day)),"
                    + "\(UTC.format(charge.day)),\(provider),\(provider) API,\(model?.id ?? "")")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func write(_ text: String, to directory: String, _ name: String) throws {
        let path = (directory as NSString).appendingPathComponent(name)
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw OutputError(description: "cannot write \(path)")
        }
    }
}
