import Foundation
import Logging

/// The output formats of `report --format`.
public enum ReportFormat: String, CaseIterable, Sendable {
    case markdown, csv, xlsx, focus
}

/// What a `report` run should produce, beyond the config.
public struct ReportRequest: Sendable {
    public var period: Period
    public var formats: Set<ReportFormat>
    public var hourly: Bool
    public var outputDirectory: URL
    /// A user Mustache template for the Markdown report, with its path for messages.
    public var template: (path: String, text: String)?
    /// Also write a pack per team under `teams/` (`--split-by team`).
    public var splitByTeam: Bool
    /// The command line, for "how to reproduce" and the manifest.
    public var commandLine: [String]
    public var now: Date
    /// Write a report even when the token counter has no series at all (`--allow-empty`).
    public var allowEmpty = false

    public init(period: Period, formats: Set<ReportFormat>, hourly: Bool, outputDirectory: URL,
                template: (path: String, text: String)? = nil, splitByTeam: Bool = false, commandLine: [String],
                now: Date = Date()) {
        self.period = period
        self.formats = formats
        self.hourly = hourly
        self.outputDirectory = outputDirectory
        self.template = template
        self.splitByTeam = splitByTeam
        self.commandLine = commandLine
        self.now = now
    }
}

/// The result of a successful run.
public struct ReportOutcome: Sendable {
    public let report: Report
    /// Final paths of every file written.
    public let files: [URL]
}

/// Runs the stages in order: Plan → Fetch/Usage → Price → Allocate → Report → render → commit.
public struct ReportPipeline {
    public let config: ChargebackConfig
    public let client: PrometheusClient
    public let logger: Logger
    public var progress: (@Sendable (Int, Int) -> Void)?

    public init(config: ChargebackConfig, client: PrometheusClient, logger: Logger,
                progress: (@Sendable (Int, Int) -> Void)? = nil) {
        self.config = config
        self.client = client
        self.logger = logger
        self.progress = progress
    }

    /// Builds the report model (everything but writing files).
    public func buildReport(_ request: ReportRequest) async throws -> Report {
        let plan = QueryPlan(config: config, period: request.period, now: request.now)
        logger.info("plan", metadata: ["period": .string(request.period.label),
                                       "plan": .string(config.prometheus.plan.rawValue),
                                       "hours": .stringConvertible(plan.grid.hourCount)])
        let measured = try await UsageFetcher(client: client, logger: logger, progress: progress)
            .fetch(plan: plan, config: config, now: request.now, allowEmpty: request.allowEmpty)
        let pricingFile = config.files.first { $0.role == "pricing" }?.path ?? "pricing.yaml"
        let teamsFile = config.files.first { $0.role == "teams" }?.path ?? "teams.yaml"
        let priced = try Pricing.price(usage: measured.tokens, buckets: plan.buckets, book: config.pricing,
                                       metrics: config.metrics, pricingFile: pricingFile)
        let dimensions = UsageDimensions(labels: config.metrics.labels, extraLabels: config.teams.extraLabelKeys)
        let allocation = try Allocator.allocate(lines: priced.lines, book: config.teams, dimensions: dimensions,
                                                teamsFile: teamsFile)
        var diagnostics = measured.diagnostics + priced.diagnostics
        if allocation.teamOrder.contains(TeamBook.unallocatedName) {
            diagnostics.append(.warning("some usage matches no team rule and is shown as \(TeamBook.unallocatedName)"))
        }
        return Report(
            toolVersion: ChargebackVersion.string, generatedAt: request.now, period: request.period, buckets: plan.buckets,
            partial: request.period.isPartial(now: request.now), prometheusURL: client.displayURL, config: config,
            lines: priced.lines, allocation: allocation, coverage: measured.coverage,
            reconciliation: Self.reconcile(measured, lines: priced.lines), queries: measured.queries,
            diagnostics: diagnostics)
    }

    /// Builds the report, renders every requested format into a staging folder, and moves the
    /// files into place only when all of them were written.
    public func run(_ request: ReportRequest) async throws -> ReportOutcome {
        let report = try await buildReport(request)
        let files = try ReportFiles(report: report, request: request, logger: logger)
        let output = try StagedOutput(directory: request.outputDirectory)
        do {
            try files.write(into: output)
            return ReportOutcome(report: report, files: try output.commit())
        } catch {
            output.discard()
            throw error
        }
    }

    private static func reconcile(_ measured: MeasuredUsage, lines: [CostLine]) -> Reconciliation {
        var exact: [String: Int64] = [:]
        var costByGateway: [String: Decimal] = [:]
        for line in lines {
            exact["\(line.key.gateway)\u{0}\(line.key.tokenType)", default: 0] += line.tokens
            costByGateway[line.key.gateway, default: 0] += line.cost
        }
        let dashboard = measured.dashboardIncrease.map { figure in
            Reconciliation.Row(gateway: figure.gateway, tokenType: figure.tokenType, increase: figure.tokens,
                               exact: exact["\(figure.gateway)\u{0}\(figure.tokenType)"] ?? 0)
        }
        let gatewayCost = measured.gatewayCostNanos.keys.sorted().map { gateway in
            let nanos = measured.gatewayCostNanos[gateway]!.reduce(0, +)
            return Reconciliation.CostRow(gateway: gateway, gatewayReported: Decimal(nanos) / 1_000_000_000,
                                          computed: costByGateway[gateway] ?? 0)
        }
        return Reconciliation(dashboard: dashboard, gatewayCost: gatewayCost)
    }

    /// A command line quoted for a POSIX shell.
    static func shellLine(_ arguments: [String]) -> String {
        arguments.map { argument in
            argument.allSatisfy({ $0.isLetter || $0.isNumber || "-_./=:,@+".contains($0) }) && !argument.isEmpty
                ? argument : "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }
}
