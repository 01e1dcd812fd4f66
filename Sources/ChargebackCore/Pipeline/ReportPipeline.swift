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
public struct ReportPipeline {
    public let config: ChargebackConfig
    public let client: PrometheusClient
    public let logger: Logger
    /// Where every stage puts its diagnostics; the report shows those found before Render.
    public let diagnostics: DiagnosticCollector
    public var progress: (@Sendable (Int, Int) -> Void)?

    public init(
        config: ChargebackConfig, client: PrometheusClient, logger: Logger,
        diagnostics: DiagnosticCollector = DiagnosticCollector(),
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) {
        self.config = config
        self.client = client
        self.logger = logger
        self.diagnostics = diagnostics
        self.progress = progress
    }

    /// Builds the report model (everything but writing files).
    public func buildReport(_ request: ReportRequest) async throws -> Report {
        // Plan: the period's hours, windows and queries.
        let plan = QueryPlan(config: config, period: request.period, now: request.now)
        logger.info(
            "plan",
            metadata: [
                "period": .string(request.period.label),
                "plan": .string(config.prometheus.plan.rawValue),
                "hours": .stringConvertible(plan.grid.hourCount),
            ])
        // Measured usage: exact hourly token increases per key, coverage, the queries run.
        let measured = try await UsageFetcher(client: client, logger: logger, progress: progress)
            .fetch(plan: plan, config: config, now: request.now, allowEmpty: request.allowEmpty)
        diagnostics.emit(contentsOf: measured.diagnostics)
        // Cost lines: each hour priced at the prices in force.
        let dimensions = config.dimensions
        let priced = try Pricing.price(
            usage: measured.tokens, buckets: plan.buckets, book: config.pricing,
            metrics: config.metrics, dimensions: dimensions,
            pricingFile: config.filePath(role: "pricing"), newerBuilds: measured.newerBuilds)
        diagnostics.emit(contentsOf: priced.diagnostics)
        // Allocation: cents per team, rule and key.
        let allocation = try Allocator.allocate(
            lines: priced.lines, book: config.teams, dimensions: dimensions,
            teamsFile: config.filePath(role: "teams"),
            buckets: plan.buckets.ledgerBuckets(hourly: request.hourly),
            hourly: request.hourly)
        diagnostics.emit(contentsOf: allocation.diagnostics)
        if allocation.teamOrder.contains(TeamBook.unallocatedName) {
            diagnostics.emit(.warning("some usage matches no team rule and is shown as \(TeamBook.unallocatedName)"))
        }
        // Assessment: thresholds, budgets, breaches, the comparison with the dashboard.
        let assessment = Assess.assess(
            lines: priced.lines, allocation: allocation, buckets: plan.buckets,
            period: request.period, thresholds: config.thresholds, teams: config.teams.teams,
            reconciliation: .of(measured, lines: priced.lines))
        // Report: one immutable model of everything a renderer may show.
        return Report(
            toolVersion: ChargebackVersion.string, generatedAt: request.now, period: request.period,
            buckets: plan.buckets,
            partial: request.period.isPartial(now: request.now), prometheusURL: client.displayURL, config: config,
            lines: priced.lines, allocation: allocation, assessment: assessment, coverage: measured.coverage,
            queries: measured.queries, diagnostics: diagnostics.all, cacheRules: priced.cacheRules)
    }

    /// Builds the report, renders every requested format into a staging folder, and moves the
    /// files into place only when all of them were written.
    public func run(_ request: ReportRequest) async throws -> ReportOutcome {
        try Self.write(try await buildReport(request), request, diagnostics: diagnostics)
    }

    /// The stages after the report: team views (each team's share with its own assessment, for
    /// `--split-by team`), rendered files in a staging folder beside the targets, the commit.
    /// - Throws: ``InputError`` for a template that does not parse, ``OutputError`` or
    ///   ``XLSXError`` when a file cannot be written; nothing is moved into place then.
    public static func write(
        _ report: Report, _ request: ReportRequest,
        diagnostics: DiagnosticCollector
    ) throws -> ReportOutcome {
        let teamViews = request.splitByTeam ? report.teamViews() : []
        let files = try ReportFiles(report: report, teamViews: teamViews, request: request, diagnostics: diagnostics)
        let output = try StagedOutput(directory: request.outputDirectory)
        do {
            try files.write(into: output)
            return ReportOutcome(report: report, files: try output.commit(), diagnostics: diagnostics.all)
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
