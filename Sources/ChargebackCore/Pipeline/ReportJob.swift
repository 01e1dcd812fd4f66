import ChargebackConfig
import ChargebackDeliver
import ChargebackMeasure
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation
import Logging

/// What `chargeback report` does once its flags are read: lock the output folder, read the
/// counters (and the usage store), write the reports, and send the team mails when asked.
public struct ReportJob: Sendable {
    public let config: ChargebackConfig
    public let request: ReportRequest
    /// Where hourly usage comes from (`--source`).
    public let source: UsageSourceChoice
    /// The config file's path, for messages.
    public let configPath: String
    /// Wait for another run holding the output folder instead of failing (`--wait-lock`).
    public let waitLock: Bool
    /// The `mail:` block when the team packs are to be sent (`--mail`), else `nil`.
    public let mail: MailSettings?

    public init(
        config: ChargebackConfig, request: ReportRequest, source: UsageSourceChoice, configPath: String,
        waitLock: Bool, mail: MailSettings?
    ) {
        self.config = config
        self.request = request
        self.source = source
        self.configPath = configPath
        self.waitLock = waitLock
        self.mail = mail
    }

    /// Opens the config's usage store, `nil` when it has none yet (the store targets sit beside
    /// the library, so the executable hands their opener in).
    public typealias StoreOpener = @Sendable (ChargebackConfig) async throws -> (any UsageStore)?
    /// Opens the request log of `attribution:` (`nil` when the config has none).
    public typealias RequestLogOpener = @Sendable (ChargebackConfig) async throws -> (any RequestLogReader)?

    /// Runs the report and, with ``mail``, the delivery of its team packs.
    /// - Parameters:
    ///   - fetched: called when the counters are read (to end a progress line).
    ///   - written: called with the report's outcome before any mail is sent.
    /// - Returns: the report's outcome and the mail delivery's (`nil` without ``mail``).
    public func run(
        logger: Logger, progress: (@Sendable (FetchProgress) -> Void)?, fetched: @Sendable () -> Void = {},
        openStore: StoreOpener, openRequestLog: RequestLogOpener = { _ in nil }, written: (ReportOutcome) -> Void
    ) async throws -> (report: ReportOutcome, mail: MailDelivery.Outcome?) {
        let lock = try OutputLock(directory: request.outputDirectory, wait: waitLock)
        defer { withExtendedLifetime(lock) {} }
        let outcome = try await PrometheusClient.using(settings: config.prometheus, logger: logger) { client in
            defer { fetched() }
            var pipeline = ReportPipeline(config: config, client: client, logger: logger, progress: progress)
            if config.store != nil && source != .prometheus {
                pipeline.store = try await openStore(config)
                pipeline.source = source
            }
            if source == .store && pipeline.store == nil {
                throw StoreError.unsupported(
                    config.store.map { "the store \($0.displayName) does not exist yet; `chargeback collect` makes it" }
                        ?? "--source store needs a store: block in \(configPath)")
            }
            do {
                pipeline.requestLog = try await openRequestLog(config)
                let outcome = try await pipeline.run(request)
                await pipeline.store?.close()
                await pipeline.requestLog?.close()
                return outcome
            } catch {
                await pipeline.store?.close()
                await pipeline.requestLog?.close()
                throw error
            }
        }
        written(outcome)
        guard let mail else { return (outcome, nil) }
        return (
            outcome,
            try await MailDelivery(settings: mail, logger: logger).run(
                directory: request.outputDirectory, resend: false)
        )
    }
}
