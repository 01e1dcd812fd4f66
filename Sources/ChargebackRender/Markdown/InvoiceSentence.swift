import ChargebackModel
import Foundation

/// What the report says of an invoice file: its lines, its own period, how much of it is AI and
/// inside the report's period, and what was set aside as not AI.
package enum InvoiceSentence {
    /// `1000 lines, 2024-09-01 to 2024-10-01; 0 AI lines ($0.00); none in 2026-10; 1000 lines
    /// (1234.56 USD) set aside as not AI`.
    package static func text(_ invoice: Invoice, period: Period, currency: Currency) -> String {
        let summary = invoice.summary
        var parts = [
            "\(summary.lineCount) lines, \(InvoiceFit.ownPeriod(summary, zone: period.timeZone))",
            "\(invoice.lines.count) AI lines (\(currency.format(invoice.total)))",
        ]
        switch summary.linesInPeriod {
        case 0: parts.append("none in \(period.label)")
        case summary.lineCount: parts.append("all in \(period.label)")
        default:
            parts.append(
                "\(summary.linesInPeriod) lines in \(period.label) (\(InvoiceFit.share(summary)) of its cost)")
        }
        let aside = summary.setAside.reduce(0) { $0 + $1.lines }
        if aside > 0 {
            var costs: [String: Decimal] = [:]
            for part in summary.setAside { costs[part.currency, default: 0] += part.cost }
            let cost = costs.keys.sorted().map { amount(costs[$0]!, $0) }.joined(separator: " + ")
            parts.append("\(aside) lines (\(cost)) set aside as not AI")
        }
        return parts.joined(separator: "; ")
    }

    /// Per service set aside: its name, lines and cost, for the template.
    static func setAside(_ invoice: Invoice) -> [[String: String]] {
        invoice.summary.setAside.map { part in
            ["service": part.service, "lines": String(part.lines), "cost": amount(part.cost, part.currency)]
        }
    }

    /// `1234.56 USD`, rounded to the currency's minor unit.
    static func amount(_ value: Decimal, _ code: String) -> String {
        let currency = Currency(code)
        return DecimalText.plain(currency.round(value), minScale: currency.minorUnit) + " " + code
    }
}
