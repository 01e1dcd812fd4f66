import ChargebackModel
import Foundation

/// The About sheet: how the figures were made, how to reproduce them, the data quality, how they
/// compare with a dashboard, and the input files by hash.
enum WorkbookAbout {
    /// After the reproduce line of a run that read another Prometheus than the config's.
    static let overrideNote =
        " (this run read the Prometheus given by --prometheus-url, not the config's: add --prometheus-url "
        + "with a server that holds the same data; manifest.json names this run's)"

    static func write(_ data: WorkbookData, _ sheet: XLSXSheet) throws {
        let report = data.report
        let zone = report.period.timeZone
        let coverage = report.coverage
        let labelWidth = 38
        let valueWidth = 100
        var row = 0
        func section(_ title: String) throws {
            if row > 0 { row += 1 }
            try sheet.text(row, 0, title, .section)
            row += 1
        }
        func fact(_ label: String, _ value: String) throws {
            // LibreOffice fits about 1.1 × a column's width of prose in it (the width counts '0's),
            // and fewer bold characters: a label longer than its column takes two lines.
            let lines = max(
                XLSXSheet.wrappedLines(label, width: labelWidth - 2),
                XLSXSheet.wrappedLines(value, width: valueWidth + valueWidth / 10))
            if lines > 1 { try sheet.setRowHeight(row, lines: lines) }
            try sheet.text(row, 0, label, XLSXFormat(bold: true, wrap: true))
            try sheet.text(row, 1, value, .wrapped)
            row += 1
        }
        try section("About this workbook")
        try fact("Tool", "chargeback \(report.toolVersion)")
        try fact(
            "Period",
            "\(report.period.label): \(DateText.rfc3339(report.period.start, in: zone)) to "
                + "\(DateText.rfc3339(report.period.end, in: zone)) (\(zone.reportName))")
        try fact("Source", report.facts.prometheusSource)
        try fact(
            "Currency",
            report.currency.code
                + (report.conversion.sentence.map { ": \($0), prices in \(report.conversion.from)" } ?? ""))
        if let team = data.options.team {
            try fact(
                "Scope", "Only the usage allocated to \(team): each gateway, model and day shows this team's share.")
        }
        try fact("How it was computed", ReportMethod.text(report))
        if !data.options.reproduce.isEmpty {
            try fact("To reproduce", data.options.reproduce + (report.facts.prometheusOverridden ? overrideNote : ""))
        }
        try fact(
            "Line items",
            "\(Formatting.count(Int64(data.lineItemCount))) rows, one per "
                + (report.allocation.ledger.hourly ? "hour" : "day")
                + " × gateway × model × token type with usage (two where the price changes inside it): "
                + "the ledger whose cents every other figure adds up.")

        try section("Data quality")
        try fact("Series read", String(coverage.series))
        try fact("Samples in the period", Formatting.count(Int64(coverage.samples)))
        try fact(
            "Samples missing",
            Formatting.count(Int64(coverage.missedSamples)) + " (coverage "
                + Formatting.percent(coverage.ratio) + ")")
        try fact("Counter resets", String(coverage.resets.count))
        try fact(
            "Series started / stopped in the period",
            "\(coverage.startedInPeriod.count) / \(coverage.stoppedInPeriod.count)")
        let gaps = coverage.gapWindows
        try fact(
            "Gaps in the scrapes",
            "\(gaps.count) (total \(Formatting.duration(seconds: coverage.gapSeconds)); "
                + "\(gaps.filter(\.apportioned).count) shared between buckets by time)")
        for diagnostic in report.diagnostics {
            try fact(diagnostic.severity.rawValue.capitalized, diagnostic.message)
        }

        if !report.reconciliation.dashboard.isEmpty || !report.reconciliation.gatewayCost.isEmpty {
            try section("Compared with a dashboard")
            for figure in report.reconciliation.dashboard {
                let difference = figure.relativeDifference.map { String(format: "%+.3f %%", $0 * 100) } ?? "n/a"
                try fact(
                    "\(figure.gateway) \(figure.tokenType)",
                    "increase() shows \(String(format: "%.2f", figure.increase)); "
                        + "exact count \(Formatting.count(figure.exact)); difference \(difference)")
            }
            for cost in report.reconciliation.gatewayCost {
                try fact(
                    "\(cost.gateway) cost counter",
                    "the gateway reports \(report.currency.format(cost.gatewayReported)); "
                        + "we compute \(report.currency.format(cost.computed)); difference \(report.currency.format(cost.difference))"
                )
            }
        }

        try section("Input files")
        for file in report.facts.inputFiles {
            try fact(file.role, "\(file.path)\nSHA-256 \(ManifestRenderer.sha256(file.contents))")
        }
        sheet.setWidth(0, labelWidth)
        sheet.setWidth(1, valueWidth)
        try sheet.fitColumns()
    }
}
