import ChargebackModel
import Foundation

extension CSVReports {
    /// `chargeback-<period>-adjustments.csv`: per team its list cost, each adjustment line by line
    /// (discounts, markup, fixed amounts, credits) and its net, in the cents of the
    /// ``AdjustmentLedger``; a last block `Total` sums every team. Written when `pricing.yaml` has
    /// `adjustments:`.
    public static func adjustments(_ report: Report) -> String {
        var table = CSVTable(
            money: report.currency.code,
            header: ["team", "cost_center", "kind", "adjustment", "amount_usd", "basis", "origin"])
        let ledger = report.adjustments
        let teams = report.facts.teamsByName
        let net = ledger.netCents
        func block(_ name: String, _ costCenter: String, list: Decimal, amounts: [Decimal], net: Decimal) {
            table.append([
                .text(name), .text(costCenter), .text("list"), .text("List cost"),
                .number(DecimalText.cents(list)), .text("measured tokens at list prices"), .empty,
            ])
            for (line, amount) in zip(ledger.lines, amounts) where amount != 0 {
                table.append([
                    .text(name), .text(costCenter), .text(line.kind.rawValue), .text(line.name),
                    .number(DecimalText.cents(amount)), .text(line.basis), .text(line.origin),
                ])
            }
            table.append([
                .text(name), .text(costCenter), .text("net"), .text("Net"),
                .number(DecimalText.cents(net)), .text("list cost plus the adjustments"), .empty,
            ])
        }
        for (index, team) in ledger.teamOrder.enumerated() {
            block(
                team, teams[team]?.costCenter ?? "", list: ledger.listCents[index],
                amounts: ledger.lines.map { $0.teamCents[index] }, net: net[index])
        }
        block("Total", "", list: ledger.totalList, amounts: ledger.lines.map(\.cents), net: ledger.totalNet)
        return table.text
    }
}
