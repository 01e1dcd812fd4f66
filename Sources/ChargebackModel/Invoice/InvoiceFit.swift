import Foundation

/// How invoices fit the report: their period against the report's, their currency against the
/// report's, and the lines taken only for a model-like name against the measured models.
public enum InvoiceFit {
    /// A warning per invoice with charges outside the period, naming its own period and the share
    /// inside; none inside is refused with `--basis invoice`.
    /// - Throws: ``InputError`` naming the invoice when `basis` is `invoice` and none of it is inside.
    public static func period(_ invoices: [Invoice], period: Period, basis: AllocationBasis) throws -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for invoice in invoices {
            let summary = invoice.summary
            guard summary.lineCount > 0, summary.linesInPeriod < summary.lineCount else { continue }
            let name = URL(fileURLWithPath: invoice.file).lastPathComponent
            let own = ownPeriod(summary, zone: period.timeZone)
            if summary.linesInPeriod == 0 {
                let text =
                    "\(name) covers \(own): none of its \(summary.lineCount) lines falls in \(period.label), "
                    + "so it reconciles nothing"
                if basis == .invoice {
                    throw InputError(file: invoice.file, "\(text); --basis invoice needs an invoice of the period")
                }
                diagnostics.append(.warning(text))
            } else {
                diagnostics.append(
                    .note(
                        "\(name) covers \(own): \(summary.linesInPeriod) of its \(summary.lineCount) lines "
                            + "(\(share(summary)) of its cost) fall in \(period.label); only those are reconciled"))
            }
        }
        return diagnostics
    }

    /// `2024-09-01 to 2024-10-01` (the end exclusive), days in the report's time zone.
    package static func ownPeriod(_ summary: InvoiceSummary, zone: TimeZone) -> String {
        guard let start = summary.start, let end = summary.end else { return "no charges" }
        return "\(DateText.day(start, in: zone)) to \(DateText.day(end, in: zone))"
    }

    /// The share of the file's cost inside the period, `37.5 %` (by lines when it costs nothing).
    package static func share(_ summary: InvoiceSummary) -> String {
        let total = summary.cost.values.reduce(Decimal(0)) { $0 + $1.magnitude }
        let inside = summary.costInPeriod.values.reduce(Decimal(0)) { $0 + $1.magnitude }
        let ratio =
            total == 0
            ? Decimal(summary.linesInPeriod) / Decimal(max(summary.lineCount, 1)) : inside / total
        return DecimalText.plain(Money.round(ratio * 100, scale: 1), minScale: 0) + " %"
    }

    /// The invoices with lines in a currency other than `currency` converted at the config's
    /// `exchange_rates:` entry from that currency to it in force on the period's first day.
    /// - Throws: ``InputError`` naming the invoice and the currency when no such rate exists.
    public static func currency(
        _ invoices: [Invoice], to currency: String, rates: [ExchangeRate], period: Period
    ) throws -> [Invoice] {
        let day = DateText.day(period.start, in: period.timeZone)
        return try invoices.map { invoice in
            var cache: [String: Decimal] = [:]
            let lines = try invoice.lines.map { line -> InvoiceLine in
                guard line.currency != currency else { return line }
                if cache[line.currency] == nil {
                    guard
                        let rate = rates.filter({ $0.from == line.currency && $0.to == currency && $0.date <= day })
                            .max(by: { $0.date < $1.date })
                    else {
                        throw InputError(
                            file: invoice.file,
                            "\(line.record): BillingCurrency \(line.currency), the report is in \(currency) and no "
                                + "exchange rate from \(line.currency) to \(currency) is in force on \(day); add "
                                + "exchange_rates: [{ from: \(line.currency), to: \(currency), rate: …, date: \(day) }]"
                        )
                    }
                    cache[line.currency] = rate.rate
                }
                return line.with(amount: line.amount * cache[line.currency]!, currency: currency)
            }
            return Invoice(
                file: invoice.file, format: invoice.format, lines: lines, sha256: invoice.sha256,
                summary: invoice.summary)
        }
    }

    /// Refuses, before anything is fetched, a currency neither the book's conversion nor a rate covers.
    /// - Throws: ``InputError`` as ``currency(_:to:rates:period:)`` does.
    public static func checkCurrencies(_ invoices: [Invoice], book: String, settings: CurrencySettings, period: Period)
        throws
    {
        let foreign = invoices.map { invoice in
            Invoice(
                file: invoice.file, format: invoice.format, lines: invoice.lines.filter { $0.currency != book },
                sha256: invoice.sha256, summary: invoice.summary)
        }
        _ = try currency(foreign, to: settings.currency, rates: settings.rates, period: period)
    }

    /// Lines taken only for a model-like name kept when a measured model (request or response)
    /// has that name, else set aside under their service.
    public static func confirm(_ invoices: [Invoice], measured: Set<String>) -> [Invoice] {
        invoices.map { invoice in
            var summary = invoice.summary
            var kept: [InvoiceLine] = []
            for line in invoice.lines {
                if line.selectedBy == .modelName, !measured.contains(line.model ?? "") {
                    summary.setAside(service: line.service, amount: line.amount, currency: line.currency)
                } else {
                    kept.append(line)
                }
            }
            return Invoice(
                file: invoice.file, format: invoice.format, lines: kept, sha256: invoice.sha256, summary: summary)
        }
    }
}
