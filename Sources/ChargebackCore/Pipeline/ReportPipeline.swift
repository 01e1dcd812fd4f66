import ChargebackConfig
import ChargebackDeliver
import ChargebackMeasure
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation
import Logging

/// The result of a successful run.
public struct ReportOutcome: Sendable {
    public let report: Report
    /// Final paths of every file written.
    public let files: [URL]
    /// Every diagnostic of the run: the report's, then any found while rendering.
    public let diagnostics: [Diagnostic]
}

/// Runs the stages in order, each a value handed to the next:
/// config → plan → measured usage → cost lines → allocation (the ledger of cents) → assessment →
/// report → rendered files → commit. Only the fetch (network) and the commit (disk) leave the process.
public struct ReportPipeline: Sendable {
    public let config: ChargebackConfig
    public let client: any MetricsBackend
    public let logger: Logger
    /// Where every stage puts its diagnostics; the report shows those found before Render.
    public let diagnostics: DiagnosticCollector
    /// Told after each query of each phase (``FetchProgress``), for a progress display.
    public var progress: (@Sendable (FetchProgress) -> Void)?
    /// The usage store, when the config has one; read per ``source``.
    public var store: (any UsageStore)?
    public var source = UsageSourceChoice.auto
    /// agentgateway's request log, when the config has `attribution:`.
    public var requestLog: (any RequestLogReader)?

    public init(
        config: ChargebackConfig, client: any MetricsBackend, logger: Logger,
        diagnostics: DiagnosticCollector = DiagnosticCollector(),
        progress: (@Sendable (FetchProgress) -> Void)? = nil
    ) {
        self.config = config
        self.client = client
        self.logger = logger
        self.diagnostics = diagnostics
        self.progress = progress
    }

    /// Builds the report model (everything but writing files).
    public func buildReport(_ request: ReportRequest) async throws -> Report {
        // Invoices, told by content, read before the network so a bad file stops the run at once.
        var read = try (config.billing.invoices + request.invoices).map { path in
            let options = InvoiceOptions(
                period: DateInterval(start: request.period.start, end: request.period.end), book: config.pricing,
                selection: config.billing.selections[path] ?? ServiceSelection())
            return try InvoiceReader.read(path: path, options: options)
        }
        // The bills of `invoices:` sources, fetched before Prometheus so a refused key stops the run at once.
        var fetched: [FetchedInvoices] = []
        for source in request.fetchInvoices ? config.billing.sources : [] {
            fetched.append(
                try await InvoiceFetching.fetch(
                    source, period: request.period, now: request.now, folder: InvoiceFetching.folder, logger: logger))
            read += fetched.last!.invoices
        }
        let basis = request.basis ?? config.billing.basis
        if basis == .invoice && read.isEmpty {
            throw InputError(
                file: nil, "--basis invoice needs invoices: give --invoice FILE or 'invoices:' in the config")
        }
        // Invoices of another period: named with their own period and share (refused for --basis invoice).
        let periodNotes = try InvoiceFit.period(read, period: request.period, basis: basis)
        try InvoiceFit.checkCurrencies(
            read, book: config.pricing.currency, settings: config.currency, period: request.period)
        // The past periods (the comparison's and the trend's, kept only as totals) are measured
        // beside the report's own period, in the same waves of queries: the client keeps at most
        // `prometheus.concurrency` requests in flight for all of them.
        async let pastMeasured = pastPeriods(request)
        // Plan, fetch (from the store's hours where it has them), price and allocate
        // (``measure(_:now:hourly:allowEmpty:phase:)``).
        let current = try await measure(
            request.period, now: request.now, hourly: request.hourly,
            allowEmpty: request.allowEmpty, phase: "\(request.period.label) (this period)")
        let past = try await pastMeasured
        let plan = current.plan
        let measured = current.measured
        let conversion = current.conversion
        // Invoices in the price book's currency, at the period's rate, like every measured amount;
        // in any other, at the config's rate from it to the report's, else refused.
        let measuredModels = Set(current.lines.map(\.key.model))
            .union(measured.responseModels.byKey.values.flatMap { $0 })
        let invoices = try InvoiceFit.currency(
            InvoiceFit.confirm(read, measured: measuredModels).map { $0.converted(conversion) }, to: conversion.to,
            rates: config.currency.rates, period: request.period)
        diagnostics.emit(contentsOf: periodNotes)
        diagnostics.emit(contentsOf: Reconciler.unattributed(invoices, period: request.period))
        let priced = (lines: current.lines, diagnostics: current.pricingDiagnostics)
        let dimensions = config.costDimensions
        diagnostics.emit(contentsOf: measured.diagnostics)
        diagnostics.emit(contentsOf: priced.diagnostics)
        // Reconciliation: measured (list less discounts) against the invoices.
        let reconciliation = try Reconciler.reconcile(
            invoices: invoices, lines: priced.lines, buckets: plan.buckets,
            book: config.pricing, dimensions: dimensions,
            tolerancePercent: config.billing.tolerancePercent, currency: conversion.to,
            responses: measured.responseModels)
        // True-up: with --basis invoice the invoices' amounts replace measured cost before allocation.
        var lines = priced.lines
        var allocation = current.allocation
        var terms = config.pricing.adjustments
        if basis == .invoice {
            let trued = TrueUp.lines(
                priced.lines, invoices: invoices, buckets: plan.buckets, book: config.pricing,
                responses: measured.responseModels)
            diagnostics.emit(contentsOf: trued.diagnostics)
            lines = trued.lines
            // The invoices already carry the provider's discounts.
            terms = AdjustmentTerms(markups: terms.markups, fixed: terms.fixed, credits: terms.credits)
            allocation = try current.costing.allocate(
                lines, buckets: plan.buckets, hourly: request.hourly, teams: TrueUp.book(config.teams),
                requests: measured.requests)
        }
        diagnostics.emit(contentsOf: allocation.diagnostics)
        if allocation.rows.contains(where: {
            $0.team == TeamBook.unallocatedName && $0.key.tokenType != TrueUp.invoiceOnlyType
        }) {
            diagnostics.emit(.warning("some usage matches no team rule and is shown as \(TeamBook.unallocatedName)"))
        }
        // Adjustments: discounts, markup, fixed amounts and credits on the ledger's cents.
        let adjustments = Adjusting.ledger(
            lines: lines, allocation: allocation,
            terms: terms, buckets: plan.buckets,
            dimensions: dimensions, bookTeams: config.teams.teams.map(\.name), conversion: conversion)
        // Assessment: thresholds, budgets, breaches, the comparison with the dashboard.
        let assessment = Assess.assess(
            lines: lines, allocation: allocation, buckets: plan.buckets,
            period: request.period, thresholds: config.thresholds, teams: config.teams.teams,
            reconciliation: .of(measured, lines: priced.lines), net: adjustments.netByTeam)
        // Report: one immutable model of everything a renderer may show.
        let report = Report(
            toolVersion: ChargebackVersion.string, generatedAt: request.now, period: request.period,
            buckets: plan.buckets,
            partial: request.period.isPartial(now: request.now), prometheusURL: client.displayURL, config: config,
            lines: lines, allocation: allocation, assessment: assessment, coverage: measured.coverage,
            queries: measured.queries, diagnostics: diagnostics.all, cacheRules: current.cacheRules,
            adjustments: adjustments, invoiceReconciliation: reconciliation, basis: basis, conversion: conversion,
            usageSources: current.sources, storeName: current.sources.isEmpty ? nil : config.store?.displayName,
            fetchedInvoices: fetched)
        // Compare: the previous period, measured and priced the same way; the trend of the periods before.
        var comparison: Comparison?
        if let previous = past.previous {
            diagnostics.emit(contentsOf: past.previousDiagnostics)
            comparison = self.comparison(with: current, past: previous)
        }
        var forecast: Forecast?
        if let profile = past.forecastProfile {
            diagnostics.emit(contentsOf: past.forecastDiagnostics)
            forecast = try self.forecast(current: current, profile: profile, request)
        }
        var trend: Trend?
        if request.trend > 0 {
            diagnostics.emit(contentsOf: past.trendDiagnostics)
            trend = self.trend(past.trend, current: current, request)
        }
        return report.with(comparison: comparison).with(forecast: forecast).with(trend: trend)
            .with(identities: try Self.identities(config: config, allocation: allocation))
            .with(attribution: current.attribution)
    }

    /// Builds the report, renders every requested format into a staging folder, and moves the
    /// files into place only when all of them were written.
    public func run(_ request: ReportRequest) async throws -> ReportOutcome {
        // The templates are parsed beside the fetch, off the path that waits for the last answer.
        async let templates = ReportTemplates(request)
        let report = try await buildReport(request)
        return try Self.write(report, request, diagnostics: diagnostics, templates: try await templates)
    }

    /// The stages after the report: team views (each team's share with its own assessment, for
    /// `--split-by team`), rendered files in a staging folder beside the targets, the commit.
    /// - Throws: ``InputError`` for a template that does not parse, ``OutputError`` or
    ///   ``XLSXError`` when a file cannot be written; nothing is moved into place then.
    public static func write(
        _ report: Report, _ request: ReportRequest,
        diagnostics: DiagnosticCollector, templates: ReportTemplates? = nil
    ) throws -> ReportOutcome {
        let teamViews = request.splitByTeam ? TeamViews.all(report) : []
        let files = ReportFiles(
            report: report, teamViews: teamViews, request: request, diagnostics: diagnostics,
            templates: try templates ?? ReportTemplates(request))
        let output = try StagedOutput(directory: request.outputDirectory)
        do {
            try files.write(into: output)
            let placed = try output.commit()
            for fetch in report.fetchedInvoices {
                InvoiceFetching.removeStalePages(
                    in: request.outputDirectory,
                    stem: InvoiceFetching.folder + InvoiceFetching.stem(fetch.provider, period: report.period),
                    keeping: fetch.pages.count)
            }
            return ReportOutcome(report: report, files: placed, diagnostics: diagnostics.all)
        } catch {
            output.discard()
            throw error
        }
    }

    /// A command line quoted for a POSIX shell.
    static func shellLine(_ arguments: [String]) -> String {
        arguments.map { argument in
            argument.allSatisfy({ $0.isLetter || $0.isNumber || "-_./=:,@+".contains($0) }) && !argument.isEmpty
                ? argument : "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }
}
