import ChargebackModel
import Foundation

/// The Adjustments sheet: per team its list cost, each adjustment and its net, in the cents of the
/// ``AdjustmentLedger`` (the rows of `chargeback-<period>-adjustments.csv`); written when
/// `pricing.yaml` has adjustments.
enum WorkbookAdjustments {
    static let name = "Adjustments"

    static func write(_ data: WorkbookData, _ sheet: XLSXSheet) throws {
        let ledger = data.report.adjustments
        let teams = data.report.facts.teamsByName
        try sheet.header(
            0, ["Team", "Cost center", "Kind", "Adjustment", "Amount (\(data.report.currency))", "How", "Where"])
        var row = 1
        func put(
            _ team: String, _ kind: String, _ name: String, _ amount: Decimal, _ basis: String, _ origin: String,
            bold: Bool = false
        ) throws {
            try sheet.text(row, 0, team, bold ? .bold : .plain)
            try sheet.text(row, 1, teams[team]?.costCenter ?? "")
            try sheet.text(row, 2, kind)
            try sheet.text(row, 3, name, bold ? .bold : .plain)
            try sheet.number(row, 4, amount, bold ? .totalMoney : .money)
            try sheet.text(row, 5, basis)
            try sheet.text(row, 6, origin)
            row += 1
        }
        let net = ledger.netCents
        for (index, team) in ledger.teamOrder.enumerated() {
            try put(team, "list", "List cost", ledger.listCents[index], "measured tokens at list prices", "")
            for line in ledger.lines where line.teamCents[index] != 0 {
                try put(team, line.kind.rawValue, line.name, line.teamCents[index], line.basis, line.origin)
            }
            try put(team, "net", "Net", net[index], "list cost plus the adjustments", "", bold: true)
        }
        try put("Total", "list", "List cost", ledger.totalList, "", "")
        for line in ledger.lines {
            try put("Total", line.kind.rawValue, line.name, line.cents, line.basis, line.origin)
        }
        try put("Total", "net", "Net", ledger.totalNet, "the teams' nets add up to this", "", bold: true)
        sheet.freeze(rows: 1)
        try sheet.fitColumns()
    }
}
