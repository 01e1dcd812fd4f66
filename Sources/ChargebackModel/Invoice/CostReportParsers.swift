import Foundation

/// Reads the JSON cost answers of the providers' admin APIs: one page, or a list of pages.
///
/// - Anthropic `GET /v1/organizations/cost_report` (grouped by `description`): `data[]` buckets with
///   `starting_at`, `ending_at` and `results[]` whose `amount` is a decimal string in the
///   currency's lowest unit (cents for USD), with `currency`, `model`, `token_type`,
///   `context_window`, `service_tier`, `cost_type` and `description`.
/// - OpenAI `GET /v1/organization/costs`: `data[]` buckets (`object: bucket`) with Unix
///   `start_time`, `end_time` and `results[]` whose `amount` is `{ value, currency }` in major
///   units, with `line_item` (`gpt-4o-2024-08-06, input`) and `project_id`.
package enum CostReportParsers {
    /// Which of the two a JSON value is, `nil` for neither.
    static func detect(_ root: Any) -> Invoice.Format? {
        guard let bucket = pages(root)?.lazy.compactMap({ ($0["data"] as? [Any])?.first as? [String: Any] }).first
        else {
            // A page without buckets (a period with no cost), as `invoices fetch` stores it: OpenAI's
            // pages say `object: page`; Anthropic's have `has_more` and no `object`.
            guard let page = pages(root)?.first, page["data"] is [Any], page["has_more"] != nil else { return nil }
            return page["object"] as? String == "page" ? .openai : page["object"] == nil ? .anthropic : nil
        }
        if bucket["starting_at"] != nil { return .anthropic }
        if bucket["start_time"] != nil { return .openai }
        return nil
    }

    static func pages(_ root: Any) -> [[String: Any]]? {
        if let page = root as? [String: Any] { return [page] }
        if let list = root as? [Any] {
            return list.compactMap { $0 as? [String: Any] }.count == list.count
                ? list.map { $0 as! [String: Any] } : nil
        }
        return nil
    }

    package static func parse(_ root: Any, format: Invoice.Format, file: String) throws -> [InvoiceLine] {
        guard let pages = pages(root) else { throw InputError(file: file, "expected a JSON page or a list of pages") }
        var lines: [InvoiceLine] = []
        for (pageIndex, page) in pages.enumerated() {
            let pagePath = pages.count > 1 ? "[\(pageIndex)]." : ""
            guard let data = page["data"] as? [Any] else {
                throw InputError(file: file, "\(pagePath)data: expected a list")
            }
            for (bucketIndex, item) in data.enumerated() {
                let path = "\(pagePath)data[\(bucketIndex)]"
                guard let bucket = item as? [String: Any] else {
                    throw InputError(file: file, "\(path): expected an object")
                }
                let (start, end) = try interval(bucket, format: format, path: path, file: file)
                guard let results = bucket["results"] as? [Any] else {
                    throw InputError(file: file, "\(path).results: expected a list")
                }
                for (resultIndex, entry) in results.enumerated() {
                    let record = "\(path).results[\(resultIndex)]"
                    guard let result = entry as? [String: Any] else {
                        throw InputError(file: file, "\(record): expected an object")
                    }
                    lines.append(
                        format == .anthropic
                            ? try anthropic(result, record: record, start: start, end: end, file: file)
                            : try openai(result, record: record, start: start, end: end, file: file))
                }
            }
        }
        return lines
    }

    private static func interval(
        _ bucket: [String: Any], format: Invoice.Format, path: String,
        file: String
    ) throws -> (Date, Date) {
        let start: Date?
        let end: Date?
        if format == .anthropic {
            start = (bucket["starting_at"] as? String).flatMap(DateText.parseInstant)
            end = (bucket["ending_at"] as? String).flatMap(DateText.parseInstant)
        } else {
            func unix(_ value: Any?) -> Date? {
                guard let number = value as? NSNumber, !isBoolean(value),
                    let seconds = Int64(exactly: number.doubleValue),
                    abs(seconds) < 100_000_000_000
                else { return nil }
                return Date(timeIntervalSince1970: Double(seconds))
            }
            start = unix(bucket["start_time"])
            end = unix(bucket["end_time"])
        }
        let names = format == .anthropic ? ("starting_at", "ending_at") : ("start_time", "end_time")
        guard let start else { throw InputError(file: file, "\(path).\(names.0): expected a time") }
        guard let end, end > start else {
            throw InputError(file: file, "\(path).\(names.1): expected a time after \(names.0)")
        }
        return (start, end)
    }

    /// Whether a JSON value is `true` or `false`: an `NSNumber` of type `c`. (`is Bool` also holds
    /// for the numbers 0 and 1, so an amount of `1` would pass for a Boolean.)
    static func isBoolean(_ value: Any?) -> Bool {
        guard let number = value as? NSNumber else { return value is Bool }
        return String(cString: number.objCType) == "c"
    }

    private static func text(_ value: Any?) -> String? {
        guard let string = value as? String, !string.isEmpty else { return nil }
        return string
    }

    private static func anthropic(
        _ result: [String: Any], record: String, start: Date, end: Date,
        file: String
    ) throws -> InvoiceLine {
        guard let amountText = result["amount"] as? String, let minor = InvoiceText.decimal(amountText) else {
            throw InputError(file: file, "\(record).amount: expected a decimal string (lowest currency unit)")
        }
        let currency = (text(result["currency"]) ?? "USD").uppercased()
        guard InvoiceText.isCurrency(currency) else {
            throw InputError(file: file, "\(record).currency: not an ISO 4217 code")
        }
        let tokenType = text(result["token_type"]).map(describe(tokenType:))
        let window = text(result["context_window"]).map { "\($0) context" }
        let tier = text(result["service_tier"]).flatMap { $0 == "standard" ? nil : "\($0) tier" }
        let described = [text(result["description"]), tokenType, window, tier].compactMap { $0 }
        return InvoiceLine(
            record: record, provider: "anthropic", model: text(result["model"]), start: start, end: end,
            amount: minor / Decimal(100), currency: currency,
            description: described.isEmpty ? (text(result["cost_type"]) ?? "") : described.joined(separator: ", "))
    }

    /// Anthropic's token types in words (`cache_creation.ephemeral_1h_input_tokens` → `1h cache writes`).
    static func describe(tokenType: String) -> String {
        switch tokenType {
        case "uncached_input_tokens": "input"
        case "output_tokens": "output"
        case "cache_read_input_tokens": "cache reads"
        case "cache_creation.ephemeral_1h_input_tokens": "1h cache writes"
        case "cache_creation.ephemeral_5m_input_tokens": "5m cache writes"
        default: tokenType
        }
    }

    private static func openai(
        _ result: [String: Any], record: String, start: Date, end: Date,
        file: String
    ) throws -> InvoiceLine {
        guard let amount = result["amount"] as? [String: Any], let number = amount["value"] as? NSNumber,
            !isBoolean(amount["value"]), number.doubleValue.isFinite,
            let value = InvoiceText.decimal("\(number.doubleValue)")
        else { throw InputError(file: file, "\(record).amount.value: expected a number") }
        let currency = (text(amount["currency"]) ?? "usd").uppercased()
        guard InvoiceText.isCurrency(currency) else {
            throw InputError(file: file, "\(record).amount.currency: not an ISO 4217 code")
        }
        let item = text(result["line_item"])
        // `gpt-4o-2024-08-06, input`: the model, then what of it.
        let model = item.map { String($0.split(separator: ",", maxSplits: 1)[0]).trimmingCharacters(in: .whitespaces) }
        return InvoiceLine(
            record: record, provider: "openai", model: model, start: start, end: end, amount: value,
            currency: currency, description: item ?? "")
    }
}
