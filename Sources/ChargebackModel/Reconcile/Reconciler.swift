import Foundation

/// The Reconcile stage: measured cost (list less discounts) against the invoices, per provider ×
/// model pattern × invoice interval.
///
/// Invoices name models by dated ids (`claude-sonnet-4-5-20250929`) where counters carry the
/// request model (`claude-sonnet-4-5`): both sides are grouped by the first `models:` entry of the
/// price book whose glob matches (with the provider as `system`), so they meet at that pattern. Only
/// providers some invoice names are reconciled; invoice lines outside the period are left out.
public enum Reconciler {
    /// A provider and the price-book pattern its model falls under.
    struct Group: Hashable {
        let provider: String
        let model: String
    }

    /// The pattern of the first `models:` entry that matches `model` with `provider` as its
    /// `system` (else by model alone), or the model itself when none does; `""` for no model.
    static func group(_ model: String?, provider: String, book: PriceBook) -> String {
        guard let model else { return "" }
        let entry =
            book.entry(for: model) { $0 == "system" ? provider : "" } ?? book.models.first { $0.match.matches(model) }
        return entry?.match.pattern ?? model
    }

    /// How an invoice line's model reaches a measured model: the pattern both sides group under and the route.
    static func invoiceGroup(
        _ model: String?, provider: String, book: PriceBook, responses: ResponseModels
    ) -> (model: String, route: ModelMatch.Route) {
        guard let model else { return ("", .noModel) }
        if let entry = book.entry(for: model, { $0 == "system" ? provider : "" })
            ?? book.models.first(where: { $0.match.matches(model) })
        {
            return (entry.match.pattern, .priceBook)
        }
        if let requested = responses.requestModels(provider: provider, answeredAs: model).first {
            return (group(requested, provider: provider, book: book), .responseModel)
        }
        return (model, .sameName)
    }

    /// The model group of a provider reconciled as a whole (``providerLevel(_:period:)``).
    public static let allModels = "*"

    /// Providers with a cloud line of tokens in the period whose model cannot be told: all their
    /// lines, on both sides, are reconciled together under ``allModels``. (A line of neither model
    /// nor tokens, a fee, stays a charge of no model.)
    static func providerLevel(_ invoices: [Invoice], period: Period) -> Set<String> {
        var providers: Set<String> = []
        for invoice in invoices {
            for line in invoice.lines
            where line.model == nil && line.tokenType != nil && line.selectedBy != .provider
                && line.start >= period.start
                && line.start < period.end
            {
                providers.insert(line.provider)
            }
        }
        return providers
    }

    /// A line's interval, widened to its report day when it lies within one: cloud exports bill by
    /// the hour, reconciled per day.
    static func interval(_ line: InvoiceLine, buckets: Buckets) -> DateInterval {
        if line.end.timeIntervalSince(line.start) < 86_400,
            let day = buckets.days.first(where: { $0.start <= line.start && line.end <= $0.end })
        {
            return DateInterval(start: day.start, end: day.end)
        }
        return DateInterval(start: line.start, end: line.end)
    }

    /// Whether `line` goes to its provider's ``allModels`` group: it is of a provider reconciled
    /// as a whole, and not a fee (no model, no tokens).
    static func isWhole(_ line: InvoiceLine, _ whole: Set<String>) -> Bool {
        whole.contains(line.provider) && (line.model != nil || line.tokenType != nil)
    }

    /// The lines of `providerLevel` providers that name no model, per provider, for the report.
    public static func unattributed(_ invoices: [Invoice], period: Period) -> [Diagnostic] {
        let providers = providerLevel(invoices, period: period)
        return providers.sorted().map { provider in
            let records = invoices.flatMap { invoice in
                invoice.lines.filter {
                    $0.provider == provider && $0.model == nil && $0.tokenType != nil && $0.start >= period.start
                        && $0.start < period.end
                }
                .map { "\(URL(fileURLWithPath: invoice.file).lastPathComponent) \($0.record)" }
            }
            let named = records.prefix(5).joined(separator: ", ") + (records.count > 5 ? ", …" : "")
            return .warning(
                "\(provider) is reconciled at the provider level (model \(allModels)): \(records.count) of its "
                    + "lines name no model that can be told (\(named))")
        }
    }

    /// - Parameter currency: the currency of `lines` (the report's), the book's when `nil`.
    /// - Parameter responses: the response models the measured series carry, for invoice models
    ///   no `models:` glob matches (``invoiceGroup(_:provider:book:responses:)``).
    /// - Throws: ``InputError`` naming the invoice when its currency is not that one.
    public static func reconcile(
        invoices: [Invoice], lines: [CostLine], buckets: Buckets, book: PriceBook,
        dimensions: UsageDimensions, tolerancePercent: Decimal, currency: String? = nil,
        responses: ResponseModels = ResponseModels()
    ) throws -> InvoiceReconciliation {
        let currency = currency ?? book.currency
        guard !invoices.isEmpty else { return .empty }
        let period = buckets.period
        for invoice in invoices {
            if let line = invoice.lines.first(where: { $0.currency != currency }) {
                throw InputError(
                    file: invoice.file,
                    "\(line.record): the invoice is in \(line.currency), the price book in "
                        + "\(book.currency) and the report in \(currency); add an exchange rate or convert it first")
            }
        }
        let whole = providerLevel(invoices, period: period)
        func group(_ model: String?, provider: String) -> String {
            whole.contains(provider) ? allModels : Self.group(model, provider: provider, book: book)
        }
        // Invoice side: amounts per group and interval, with what the lines say.
        struct Cell {
            var amount: Decimal = 0
            var descriptions: [String] = []
            var records: [String] = []
        }
        var invoiced: [Group: [DateInterval: Cell]] = [:]
        var invoiceModels: [Group: Set<String>] = [:]
        var routes: [Group: [String: ModelMatch.Route]] = [:]
        for invoice in invoices {
            let name = URL(fileURLWithPath: invoice.file).lastPathComponent
            for line in invoice.lines where line.start >= period.start && line.start < period.end {
                let (pattern, route) =
                    Self.isWhole(line, whole)
                    ? (allModels, ModelMatch.Route.providerLevel)
                    : invoiceGroup(line.model, provider: line.provider, book: book, responses: responses)
                let key = Group(provider: line.provider, model: pattern)
                let interval = Self.interval(line, buckets: buckets)
                var cell = invoiced[key, default: [:]][interval, default: Cell()]
                cell.amount += line.amount
                if !line.description.isEmpty && !cell.descriptions.contains(line.description) {
                    cell.descriptions.append(line.description)
                }
                cell.records.append("\(name) \(line.record)")
                invoiced[key, default: [:]][interval] = cell
                if let model = line.model {
                    invoiceModels[key, default: []].insert(model)
                    routes[key, default: [:]][model] = route
                }
            }
        }
        let providers = Set(invoiced.keys.map(\.provider))
        // Measured side: hourly cost after discounts per group.
        var measured: [Group: [Decimal]] = [:]
        var measuredModels: [Group: Set<String>] = [:]
        let terms = book.adjustments
        let zone = period.timeZone
        for line in lines where providers.contains(line.key.system) && line.cost != 0 {
            let key = Group(provider: line.key.system, model: group(line.key.model, provider: line.key.system))
            let discounts = terms.discounts.filter { discount in
                discount.match.allSatisfy { $0.value.matches(dimensions.value(of: $0.key, in: line.key)) }
            }
            var hourly = measured[key] ?? [Decimal](repeating: 0, count: buckets.hourCount)
            for hour in line.hourlyCost.indices where line.hourlyCost[hour] != 0 {
                let start = buckets.hourStart(hour)
                let percent = discounts.first { $0.span.contains(start, in: zone) }?.percent ?? 0
                hourly[hour] += line.hourlyCost[hour] * (1 - percent / 100)
            }
            measured[key] = hourly
            measuredModels[key, default: []].insert(line.key.model)
        }
        func status(measured: Decimal, invoiced: Decimal, hasInvoice: Bool) -> ReconciliationRow.Status {
            if !hasInvoice { return .measuredOnly }
            if measured == 0 { return invoiced == 0 ? .ok : .invoiceOnly }
            let percent = (invoiced - measured) / measured * 100
            if percent.magnitude <= tolerancePercent { return .ok }
            return percent > 0 ? .over : .under
        }
        var rows: [ReconciliationRow] = []
        for key in Set(invoiced.keys).union(measured.keys) {
            let hourly = measured[key] ?? []
            var covered = [Bool](repeating: false, count: hourly.count)
            for (interval, cell) in invoiced[key] ?? [:] {
                var sum = Decimal(0)
                for hour in hourly.indices
                where interval.contains(buckets.hourStart(hour)) && buckets.hourStart(hour) < interval.end {
                    sum += hourly[hour]
                    covered[hour] = true
                }
                let measuredCents = Money.round(sum)
                let invoicedCents = Money.round(cell.amount)
                rows.append(
                    ReconciliationRow(
                        provider: key.provider, model: key.model, start: interval.start, end: interval.end,
                        measured: measuredCents, invoiced: invoicedCents,
                        status: status(measured: measuredCents, invoiced: invoicedCents, hasInvoice: true),
                        descriptions: cell.descriptions, records: cell.records))
            }
            // Measured hours no invoice interval of this group covers, per report day.
            for day in buckets.days {
                let sum = day.hours.reduce(Decimal(0)) { $0 + (covered.isEmpty || covered[$1] ? 0 : hourly[$1]) }
                let cents = Money.round(sum)
                guard cents != 0 else { continue }
                rows.append(
                    ReconciliationRow(
                        provider: key.provider, model: key.model, start: day.start, end: day.end,
                        measured: cents, invoiced: 0, status: .measuredOnly, descriptions: [],
                        records: []))
            }
        }
        rows.sort { ($0.provider, $0.model, $0.start, $0.end) < ($1.provider, $1.model, $1.start, $1.end) }
        let matches = Set(invoiced.keys).union(measured.keys).sorted {
            ($0.provider, $0.model) < ($1.provider, $1.model)
        }
        .map { key in
            ModelMatch(
                provider: key.provider, model: key.model, invoiceModels: (invoiceModels[key] ?? []).sorted(),
                measuredModels: (measuredModels[key] ?? []).sorted(), routes: routes[key] ?? [:])
        }
        return InvoiceReconciliation(
            invoices: invoices, rows: rows, matches: matches, tolerancePercent: tolerancePercent)
    }
}
