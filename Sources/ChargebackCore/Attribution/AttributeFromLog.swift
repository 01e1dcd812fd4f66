import ChargebackConfig
import ChargebackModel
import Foundation

extension ReportPipeline {
    /// With `attribution:`, reads agentgateway's request log for the buckets' hours and re-keys
    /// `measured` by identity (``Attribution``): the same tokens per hour and key, split. Its
    /// warnings join the measured usage's diagnostics.
    /// - Returns: the log's coverage, or `nil` without `attribution:`.
    /// - Throws: ``RequestLogError`` when the log cannot be read; ``InputError`` when the config has
    ///   `attribution:` and no reader was handed in.
    func attribute(_ measured: inout MeasuredUsage, buckets: Buckets) async throws -> AttributionSummary? {
        guard let settings = config.attribution else { return nil }
        guard let requestLog else {
            throw InputError(
                file: config.filePath(role: "config"),
                "attribution: the request log \(settings.database.displayName) was not opened")
        }
        let query = RequestLogQuery(
            startSeconds: buckets.startMillis / 1000, endSeconds: (buckets.endMillis + 999) / 1000,
            identity: settings.identity, bandSeconds: settings.scrapeIntervalSeconds)
        let empty = LoggedTokens(labels: config.metrics.labels, match: settings.match, hourCount: buckets.hourCount)
        let logged = try await requestLog.read(query, into: empty) { $0.add($1) }
        let attributed = Attribution.apply(
            tokens: measured.tokens, newerBuilds: measured.newerBuilds, logged: logged, buckets: buckets)
        logger.info(
            "attribution",
            metadata: [
                "log": .string(requestLog.location), "groups": .stringConvertible(logged.groups),
                "keys": .stringConvertible(attributed.tokens.count),
            ])
        measured.tokens = attributed.tokens
        measured.newerBuilds = attributed.newerBuilds
        measured.diagnostics += attributed.diagnostics
        return AttributionSummary(
            source: requestLog.location, identity: settings.identity, match: settings.match,
            coverage: attributed.coverage)
    }
}
