import ChargebackModel
import Foundation

/// The Teams, Gateways and Models sheets: one row per group with measured tokens per kind,
/// billable tokens and cents (sums of the ledger's cents), and a total row of formulas.
enum WorkbookGroups {
    private static let kinds: [TokenKind] = [.input, .output, .cacheRead, .cacheWrite]
    private static let kindTitles = ["Input tokens", "Output tokens", "Cache read tokens", "Cache write tokens"]

    /// Allocated cost per team against its budget; over-budget teams are coloured by conditional formats.
    static func teams(_ data: WorkbookData, _ sheet: XLSXSheet) throws {
        // With adjustments the team's net follows in column M, and the budget is compared with it.
        let adjusted = !data.report.adjustments.lines.isEmpty
        let charged = adjusted ? "M" : "I"
        try sheet.header(
            0,
            ["Team", "Cost center", "Owner"] + kindTitles
                + [
                    "Billable tokens", "Cost (\(sheet.currency))", "Budget (\(sheet.currency))",
                    "Budget used", "Status",
                ] + (adjusted ? ["Net (\(sheet.currency))"] : []))
        try sheet.autofilter(XLSXRange(0, 0, max(data.budgets.count, 1), adjusted ? 12 : 11))
        for (index, status) in data.budgets.enumerated() {
            let row = index + 1
            let group = status.group
            try sheet.text(row, 0, group.name)
            try sheet.text(row, 1, status.team?.costCenter ?? "")
            try sheet.text(row, 2, status.team?.owner ?? "")
            for (offset, kind) in kinds.enumerated() {
                try sheet.number(row, 3 + offset, WorkbookData.tokens(group, kind))
            }
            try sheet.number(row, 7, group.billableTokens)
            try sheet.number(row, 8, group.cost, .money)
            if let budget = status.budget {
                try sheet.number(row, 9, budget, .money)
                if let used = status.usedPercent {
                    // Cut to 0.1 %, like every other file, so the share never shows 80 % or 100 % early.
                    try sheet.formula(
                        row, 10, "=ROUNDDOWN(\(charged)\(row + 1)/J\(row + 1),3)", value: Money.double(used / 100),
                        .percent)
                }
            }
            try sheet.text(row, 11, status.status.rawValue, .status)
            if adjusted { try sheet.number(row, 12, status.charged, .money) }
        }
        let total = data.teamsTotalRow
        let last = total
        try sheet.text(total, 0, "Total", .bold)
        for column in 3...7 {
            let letter = XLSXSheet.columnName(column)
            let value =
                column == 7
                ? data.budgets.reduce(Int64(0)) { $0 + $1.group.billableTokens }
                : data.budgets.reduce(Int64(0)) { $0 + WorkbookData.tokens($1.group, kinds[column - 3]) }
            try sheet.formula(total, column, "=SUM(\(letter)2:\(letter)\(last))", value: Double(value), .totalCount)
        }
        try sheet.formula(
            total, 8, "=SUM(I2:I\(last))", value: Money.double(data.report.allocation.roundedTotal), .totalMoney)
        if !data.budgets.isEmpty {
            let rows = XLSXRange(1, 0, data.budgets.count, 11)
            // The whole row of a team over its budget, and the share column from 80 %.
            try sheet.conditionalFormat(
                rows, .formula(LimitFormula.reached("$\(charged)2", "$J2", sheet.currency, ifLimit: true), .breach))
            try sheet.conditionalFormat(XLSXRange(1, 10, data.budgets.count, 10), .between(0.8, 1, .warning))
        }
        sheet.freeze(rows: 1)
        try sheet.fitColumns()
    }

    /// Usage per gateway or model, in the ledger's cents.
    static func groups(_ groups: [Group], title: String, _ data: WorkbookData, _ sheet: XLSXSheet) throws {
        try sheet.header(0, [title] + kindTitles + ["Billable tokens", "Cost (\(sheet.currency))"])
        try sheet.autofilter(XLSXRange(0, 0, max(groups.count, 1), 6))
        for (index, group) in groups.enumerated() {
            let row = index + 1
            try sheet.text(row, 0, group.name)
            for (offset, kind) in kinds.enumerated() {
                try sheet.number(row, 1 + offset, WorkbookData.tokens(group, kind))
            }
            try sheet.number(row, 5, group.billableTokens)
            try sheet.number(row, 6, group.cost, .money)
        }
        let total = groups.count + 1
        try sheet.text(total, 0, "Total", .bold)
        for column in 1...5 {
            let letter = XLSXSheet.columnName(column)
            let value =
                column == 5
                ? groups.reduce(Int64(0)) { $0 + $1.billableTokens }
                : groups.reduce(Int64(0)) { $0 + WorkbookData.tokens($1, kinds[column - 1]) }
            try sheet.formula(total, column, "=SUM(\(letter)2:\(letter)\(total))", value: Double(value), .totalCount)
        }
        try sheet.formula(
            total, 6, "=SUM(G2:G\(total))", value: Money.double(groups.reduce(Decimal(0)) { $0 + $1.cost }),
            .totalMoney)
        try sheet.text(
            total + 2, 0,
            "Token columns are measured (an input that includes cache reads counts them "
                + "again); billable tokens count them once. Cost: sums of the same cents as every other sheet.",
            .note)
        sheet.freeze(rows: 1)
        sheet.setWidth(0, min(max(groups.map(\.name.count).max() ?? 0, title.count) + 2, 60))
        try sheet.fitColumns()
    }
}
