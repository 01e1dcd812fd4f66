import ChargebackModel
import Foundation

/// The Changes sheet: the comparison with the previous period, the movers in words, then per
/// total, team, gateway and model the cost, previous cost, change, change % and the three effects,
/// with a check column that each row's effects add up to its change.
enum WorkbookChanges {
    static let name = "Changes"

    static func write(_ comparison: Comparison, currency: Currency, _ sheet: XLSXSheet) throws {
        try sheet.text(0, 0, "What changed against \(comparison.previousText)", .section)
        var row = 1
        if let reason = comparison.unavailable {
            try sheet.text(row, 0, "No comparison: \(reason).", .note)
            try sheet.fitColumns()
            return
        }
        if let start = comparison.previousDataStart {
            try sheet.text(
                row, 0,
                "The previous period's data starts at \(DateText.rfc3339(start, in: comparison.previous.timeZone))"
                    + ": it is compared as measured from then.", .note)
            row += 1
        }
        let sentences = (comparison.total.map { [$0] } ?? []) + comparison.movers(.team) + comparison.movers(.model)
        for change in sentences {
            try sheet.text(row, 0, change.sentence(in: currency))
            row += 1
        }
        row += 1
        let header = row
        try sheet.header(
            header,
            [
                "Scope", "Name", "Cost (\(sheet.currency))", "Previous (\(sheet.currency))",
                "Change (\(sheet.currency))", "Change %",
                "Volume (\(sheet.currency))", "Price (\(sheet.currency))", "Mix (\(sheet.currency))",
                "Effects − change",
            ])
        for change in comparison.rows {
            row += 1
            let line = row + 1
            try sheet.text(row, 0, change.scope.rawValue, change.scope == .total ? .bold : .plain)
            try sheet.text(row, 1, change.name, change.scope == .total ? .bold : .plain)
            try sheet.number(row, 2, change.cost, .money)
            try sheet.number(row, 3, change.previousCost, .money)
            try sheet.formula(row, 4, "=C\(line)-D\(line)", value: Money.double(change.change), .money)
            if let percent = change.changePercent {
                try sheet.formula(row, 5, "=ROUND(E\(line)/D\(line),3)", value: Money.double(percent / 100), .percent)
            }
            try sheet.number(row, 6, change.volume, .money)
            try sheet.number(row, 7, change.price, .money)
            try sheet.number(row, 8, change.mix, .money)
            try sheet.formula(
                row, 9, "=ROUND(G\(line)+H\(line)+I\(line)-E\(line),\(sheet.currency.minorUnit))", value: 0, .money)
        }
        try sheet.autofilter(XLSXRange(header, 0, max(row, header + 1), 9))
        try sheet.text(
            row + 2, 0,
            "Volume: more or fewer billable tokens at the previous average price; price: the same "
                + "items at another price; mix: tokens moved between models and token types of different "
                + "prices. The three add up to each change to the cent (docs/numbers.md).", .note)
        sheet.freeze(rows: header + 1)
        try sheet.fitColumns()
    }
}
