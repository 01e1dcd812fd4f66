import ChargebackModel
import Foundation

/// The FOCUS rows of the adjustments: one per team and adjustment, in the ledger's cents.
///
/// FOCUS 1.2's four cost columns tell list, negotiated and paid apart, so the file's sums read:
/// Σ `ListCost` = list cost, Σ `ContractedCost` = list less the negotiated discounts (what the price
/// book says the bill is), Σ `EffectiveCost` = Σ `BilledCost` = the net the teams pay.
/// - a discount is a `Credit` row whose list cost is 0 and whose contracted, effective and billed
///   cost is the (negative) discount;
/// - a markup or a fixed amount is a recurring `Adjustment` row, list, contracted, effective and
///   billed cost all the amount (not a `Purchase`: FOCUS wants a purchase's `EffectiveCost` to be 0,
///   spread onto the usage it prepays, and a platform fee prepays no usage);
/// - a credit is a `Credit` row with list and contracted cost 0 and effective and billed cost the
///   (negative) credit.
enum FOCUSAdjustments {
    static func rows(_ report: Report) -> [[String: CSVCell]] {
        let ledger = report.adjustments
        let teams = report.facts.teamsByName
        let currency = report.currency.code
        let start = CSVCell.number(DateText.utc(report.period.start))
        let end = CSVCell.number(DateText.utc(report.period.end))
        var rows: [[String: CSVCell]] = []
        for line in ledger.lines {
            for (index, team) in ledger.teamOrder.enumerated() where line.teamCents[index] != 0 {
                let amount = CSVCell.number(DecimalText.cents(line.teamCents[index]))
                let zero = CSVCell.number("0.00")
                let costCenter = teams[team]?.costCenter ?? ""
                let account = costCenter.isEmpty ? team : costCenter
                let (category, frequency, list, contracted): (String, String, CSVCell, CSVCell) =
                    switch line.kind {
                    case .discount: ("Credit", "One-Time", zero, amount)
                    case .markup: ("Adjustment", "Recurring", amount, amount)
                    case .fixed: ("Adjustment", "Recurring", amount, amount)
                    case .credit: ("Credit", "One-Time", zero, zero)
                    }
                var row: [String: CSVCell] = [
                    "BilledCost": amount, "BillingAccountId": .text(account), "BillingAccountName": .text(team),
                    "BillingAccountType": .text(costCenter.isEmpty ? "Team" : "Cost center"),
                    "BillingCurrency": .text(currency), "BillingPeriodEnd": end, "BillingPeriodStart": start,
                    "ChargeCategory": .text(category), "ChargeDescription": .text("\(line.name): \(line.basis)"),
                    "ChargeFrequency": .text(frequency), "ChargePeriodEnd": end, "ChargePeriodStart": start,
                    "ContractedCost": contracted, "EffectiveCost": amount,
                    "InvoiceId": .text("\(report.period.label)/\(account)"),
                    "InvoiceIssuerName": .text(FOCUSRenderer.invoiceIssuer), "ListCost": list,
                    "ProviderName": .text(FOCUSRenderer.invoiceIssuer),
                    "PublisherName": .text(FOCUSRenderer.invoiceIssuer),
                    "ServiceCategory": .text("AI and Machine Learning"),
                    "ServiceName": .text(FOCUSRenderer.serviceName),
                    "ServiceSubcategory": .text("Generative AI"),
                    "Tags": .text(FOCUSRenderer.tags(["team": team, "adjustment": line.name])),
                    "x_AllocationRule": .text(line.origin), "x_CostCenter": .text(costCenter), "x_Team": .text(team),
                    "x_Unpriced": .text("false"),
                ]
                row.merge(
                    FOCUSRenderer.currencyCells(report.conversion, effective: line.teamCents[index], unitPrice: nil)
                ) { _, new in new }
                rows.append(row)
            }
        }
        return rows
    }
}
