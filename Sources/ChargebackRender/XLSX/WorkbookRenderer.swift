import ChargebackModel
import Foundation

/// What a workbook shows beyond the report model.
public struct WorkbookOptions: Sendable {
    /// Whether the report was asked per hour; the Line Items follow the ledger's own buckets
    /// (``Ledger/hourly``), which the pipeline makes from the same flag.
    public var hourly: Bool
    /// The command line that re-creates the report, for the About sheet.
    public var reproduce: String
    /// The team of a per-team pack, `nil` for the whole organisation.
    public var team: String?

    public init(hourly: Bool = false, reproduce: String = "", team: String? = nil) {
        self.hourly = hourly
        self.reproduce = reproduce
        self.team = team
    }
}

/// Writes the workbook for team leads: Summary, Teams, Gateways, Models, Daily, Line Items,
/// Thresholds and About.
///
/// Numbers are number cells with currency and thousands formats, days are date cells, totals are
/// formulas written with their computed values, breaches are coloured by conditional formats (so
/// the colours follow any edit), and text from Prometheus or the input files is always a string
/// cell. The workbook is written in constant-memory mode, every sheet top to bottom, so Line
/// Items may hold millions of rows (continued on `Line Items (2)`, … past a sheet's row limit).
/// The file's creation time is the end of the data, so identical data gives an identical file.
public enum WorkbookRenderer {
    /// Writes the workbook to `path` (a staging path; the caller moves it into place).
    /// - Throws: ``XLSXError`` when libxlsxwriter fails.
    public static func write(_ report: Report, to path: String, options: WorkbookOptions = WorkbookOptions()) throws {
        let data = WorkbookData(report: report, options: options)
        let workbook = try XLSXWorkbook(path: path, constantMemory: true, currency: report.currency)
        try workbook.setProperties(properties(data))
        let summary = try workbook.addSheet(WorkbookData.summary)
        let changes = try data.report.comparison.map { ($0, try workbook.addSheet(WorkbookChanges.name)) }
        let forecast = try data.report.forecast.map { ($0, try workbook.addSheet(WorkbookForecast.name)) }
        let teams = try workbook.addSheet(WorkbookData.teams)
        let adjustments = report.adjustments.lines.isEmpty ? nil : try workbook.addSheet(WorkbookAdjustments.name)
        let gateways = try workbook.addSheet(WorkbookData.gateways)
        let models = try workbook.addSheet(WorkbookData.models)
        let daily = try workbook.addSheet(WorkbookData.daily)
        let labels = data.report.byLabels
        let labelSheets = try labels.enumerated().map {
            try workbook.addSheet(WorkbookData.labelSheetName($1.label, $0))
        }
        let identities = try data.report.identities.map { ($0, try workbook.addSheet(WorkbookIdentities.name)) }
        let economics = try identities.map { _ in try workbook.addSheet(WorkbookUnitEconomics.name) }
        let trend = try data.report.trend.map { ($0, try workbook.addSheet(WorkbookTrend.name)) }
        let lineItems = try (0..<data.lineItemSheetCount).map {
            try workbook.addSheet(WorkbookData.lineItemSheetName($0))
        }
        let thresholds = try workbook.addSheet(WorkbookData.thresholds)
        let reconciliation =
            report.invoiceReconciliation.invoices.isEmpty
            ? nil
            : try workbook.addSheet(WorkbookReconciliation.name)
        let about = try workbook.addSheet(WorkbookData.about)
        for sheet in [summary, about] { try sheet.printSetup(headerRows: 0) }
        for sheet in [teams, gateways, models, daily, thresholds] + lineItems { try sheet.printSetup(headerRows: 1) }
        // The optional sheets print the same way (the Changes sheet's header follows its sentences).
        try changes?.1.printSetup(headerRows: 0)
        let optional =
            [forecast?.1, adjustments, identities?.1, economics, trend?.1, reconciliation].compactMap { $0 }
            + labelSheets
        for sheet in optional { try sheet.printSetup(headerRows: 1) }
        try WorkbookSummary.write(data, summary, workbook)
        if case (let comparison, let sheet)? = changes {
            try WorkbookChanges.write(comparison, currency: data.report.currency, sheet)
        }
        if case (let projection, let sheet)? = forecast {
            try WorkbookForecast.write(
                projection, zone: data.report.period.timeZone, currency: data.report.currency, sheet)
        }
        try WorkbookGroups.teams(data, teams)
        if let adjustments { try WorkbookAdjustments.write(data, adjustments) }
        try WorkbookGroups.groups(data.report.byGateway, title: "Gateway", data, gateways)
        try WorkbookGroups.groups(data.report.byModel, title: "Model", data, models)
        try WorkbookDaily.daily(data, daily)
        for (grouping, sheet) in zip(labels, labelSheets) {
            try WorkbookGroups.groups(grouping.groups, title: grouping.label, data, sheet)
        }
        if case (let breakdown, let sheet)? = identities { try WorkbookIdentities.write(breakdown, sheet) }
        if let economics { try WorkbookUnitEconomics.write(data.report.unitEconomics, economics) }
        if case (let points, let sheet)? = trend { try WorkbookTrend.write(points, sheet, workbook) }
        try WorkbookLineItems.write(data, lineItems)
        try WorkbookDaily.thresholds(data, thresholds)
        if let reconciliation { try WorkbookReconciliation.write(data, reconciliation) }
        try WorkbookAbout.write(data, about)
        try workbook.close()
    }

    private static func properties(_ data: WorkbookData) -> XLSXProperties {
        let report = data.report
        let zone = report.period.timeZone
        var properties = XLSXProperties()
        properties.title = data.title
        properties.subject =
            "Period \(report.period.label): \(DateText.rfc3339(report.period.start, in: zone)) to "
            + "\(DateText.rfc3339(report.period.end, in: zone)) (\(zone.reportName))"
        properties.author = "chargeback \(report.toolVersion)"
        properties.keywords = "chargeback, FinOps, AI gateway, \(report.period.label)"
        properties.comments =
            "Token counters read from \(report.facts.prometheusSource); see the About sheet and manifest.json."
        properties.created = data.dataEnd
        properties.custom = [
            ("Period", report.period.label), ("Time zone", zone.reportName),
            ("Tool version", report.toolVersion),
        ]
        if let team = data.options.team { properties.custom.append(("Team", team)) }
        return properties
    }
}

/// The figures every sheet draws on, computed once, and where each sheet puts its totals.
package struct WorkbookData {
    static let summary = "Summary", teams = "Teams", gateways = "Gateways", models = "Models", daily = "Daily"
    static let thresholds = "Thresholds", about = "About"
    /// Columns other sheets refer to (zero-based): the Teams sheet's tokens, cost and budget, the
    /// Daily sheet's cost and threshold.
    static let teamTokensColumn = 7, teamCostColumn = 8, teamBudgetColumn = 9, dailyCostColumn = 2
    /// The Teams sheet's net column, written when the price book has adjustments.
    static let teamNetColumn = 12
    static let dailyThresholdColumn = 3
    /// Data rows per Line Items sheet: Excel's 1,048,576 rows less the header and the total.
    package static let lineItemRowsPerSheet = 1_048_574

    let report: Report
    let options: WorkbookOptions
    let days: [DayFigure]
    let budgets: [BudgetStatus]
    let breaches: [String]
    let lineItemCount: Int

    init(report: Report, options: WorkbookOptions) {
        self.report = report
        self.options = options
        days = report.byDay
        budgets = report.budgets
        breaches = report.breachSentences
        lineItemCount = report.allocation.ledger.lines.count
    }

    var title: String {
        "AI gateway chargeback \(report.period.label)" + (options.team.map { " for \($0)" } ?? "")
    }

    /// The last instant the figures cover: the period end, or the run time for a partial period.
    var dataEnd: Date { min(report.period.end, report.generatedAt) }

    /// Zero-based row of the Teams total (after the header and one row per team).
    var teamsTotalRow: Int { budgets.count + 1 }
    /// Zero-based row of the Daily total.
    var dailyTotalRow: Int { days.count + 1 }

    var lineItemSheetCount: Int { max(1, (lineItemCount + Self.lineItemRowsPerSheet - 1) / Self.lineItemRowsPerSheet) }

    /// `By route`: a sheet per `--group-by` label, cut to Excel's 31 characters (numbered when cut).
    static func labelSheetName(_ label: String, _ index: Int) -> String {
        let name = "By \(label)"
        return name.count <= 31 ? name : String(name.prefix(27)) + " (\(index + 1))"
    }

    static func lineItemSheetName(_ index: Int) -> String { index == 0 ? "Line Items" : "Line Items (\(index + 1))" }

    /// `'Sheet'!A1` for a cell of another sheet.
    static func ref(_ sheet: String, _ row: Int, _ column: Int) -> String {
        XLSXSheet.reference(sheet) + "!" + XLSXSheet.cellName(row, column)
    }

    /// `'Sheet'!A1:A9` for a range of another sheet.
    static func ref(_ sheet: String, _ range: XLSXRange) -> String {
        XLSXSheet.reference(sheet) + "!" + range.a1
    }

    /// Tokens of a group per kind of token (unknown token types count in none).
    static func tokens(_ group: Group, _ kind: TokenKind) -> Int64 {
        group.tokensByType.filter { TokenKind(tokenType: $0.key) == kind }.values.reduce(0, +)
    }
}
