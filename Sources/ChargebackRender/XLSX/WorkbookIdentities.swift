import ChargebackModel
import Foundation

/// The Identities sheet: per team and identity of the directory's label, tokens, billable tokens,
/// the team's cents of it and its share of the team's cost, largest first within each team.
enum WorkbookIdentities {
    static let name = "Identities"

    static func write(_ breakdown: IdentityBreakdown, _ sheet: XLSXSheet) throws {
        try sheet.header(
            0,
            [
                "Team", breakdown.pseudonymized ? "\(breakdown.label) (pseudonym)" : breakdown.label, "Tokens",
                "Billable tokens", "Cost (\(sheet.currency))", "Share of team", "In directory",
            ])
        try sheet.autofilter(XLSXRange(0, 0, max(breakdown.figures.count, 1), 6))
        let unlisted = Set(breakdown.unlisted.map(\.identity))
        for (index, figure) in breakdown.figures.enumerated() {
            let row = index + 1
            try sheet.text(row, 0, figure.team)
            try sheet.text(row, 1, figure.identity)
            try sheet.number(row, 2, Double(figure.tokens))
            try sheet.number(row, 3, Double(figure.billableTokens))
            try sheet.number(row, 4, Money.double(figure.cost), .money)
            if let share = figure.sharePercent { try sheet.number(row, 5, Money.double(share / 100), .percent) }
            try sheet.text(row, 6, figure.identity.isEmpty ? "" : unlisted.contains(figure.identity) ? "no" : "yes")
        }
        sheet.freeze(rows: 1)
        try sheet.fitColumns()
    }
}

/// The Unit economics sheet: the rows of the unit-economics CSV, the ratios as formulas of the
/// row's cost, tokens, identities and requests (written with their values); "not measured" in the
/// requests column when the `requests` counter was not read.
enum WorkbookUnitEconomics {
    static let name = "Unit economics"

    static func write(_ rows: [UnitEconomicsRow], _ sheet: XLSXSheet) throws {
        try sheet.header(
            0,
            [
                "Team", "Model", "Cost (\(sheet.currency))", "Billable tokens", "Active identities",
                "Cost per 1,000 tokens", "Cost per identity", "Requests", "Cost per request",
            ])
        for (index, row) in rows.enumerated() {
            let line = index + 1
            let bold = row.model == nil
            try sheet.text(line, 0, row.team ?? "Total", bold ? .bold : .plain)
            try sheet.text(line, 1, row.model ?? (row.team == nil ? "" : "All models"), bold ? .bold : .plain)
            try sheet.number(line, 2, Money.double(row.cost), .money)
            try sheet.number(line, 3, Double(row.billableTokens))
            try sheet.number(line, 4, Double(row.activeIdentities))
            if let perThousand = row.costPerThousandTokens {
                try sheet.formula(
                    line, 5, "=C\(line + 1)*1000/D\(line + 1)", value: Money.double(perThousand), .plain)
            }
            if let perIdentity = row.costPerIdentity {
                try sheet.formula(line, 6, "=C\(line + 1)/E\(line + 1)", value: Money.double(perIdentity), .money)
            }
            if let requests = row.requests {
                try sheet.number(line, 7, Money.double(requests))
            } else {
                try sheet.text(line, 7, "not measured", .plain)
            }
            if let perRequest = row.costPerRequest {
                try sheet.formula(line, 8, "=C\(line + 1)/H\(line + 1)", value: Money.double(perRequest), .plain)
            }
        }
        sheet.freeze(rows: 1)
        try sheet.fitColumns()
    }
}
