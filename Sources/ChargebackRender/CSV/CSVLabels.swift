import ChargebackModel
import Foundation

extension CSVReports {
    /// `chargeback-<period>-by-<label>.csv`: per value of one `--group-by` label, measured and
    /// billable tokens and the ledger's cents (they add up to the total). Usage without the label
    /// has an empty value.
    public static func byLabel(_ grouping: LabelGrouping) -> String {
        var table = CSVTable(header: ["label", "value", "tokens", "billable_tokens", "cost_usd"])
        for group in grouping.groups {
            table.append([
                .text(grouping.label), .text(group.name), .number(String(group.tokens)),
                .number(String(group.billableTokens)), .number(DecimalText.cents(group.cost)),
            ])
        }
        return table.text
    }
}
