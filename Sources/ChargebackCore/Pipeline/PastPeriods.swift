import ChargebackConfig
import ChargebackDeliver
import ChargebackMeasure
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation

/// A past period's figures, or why there are none.
struct PastFigures {
    let period: Period
    let figures: PeriodFigures?
    /// Where the data starts when after the period's start.
    let dataStart: Date?
    /// Why the files refused the period (``figures`` is then `nil`).
    let refused: String?
    /// Whether the period has no samples at all (before the backend's data).
    let hasNoData: Bool

    /// Why ``figures`` is `nil`; `nil` when there are figures.
    /// - Parameter backendDataStart: where the report's own period found the backend's data
    ///   starting, named for a period with no data.
    func unavailable(backendDataStart: Date?) -> String? {
        guard hasNoData else { return refused }
        let start = backendDataStart.map {
            ", the backend's data starts at " + DateText.rfc3339($0, in: period.timeZone)
        }
        return "has no data" + (start ?? "")
    }
}

/// The past periods a report shows, measured before the report's own period and kept only as
/// ``PastFigures``, so the report's period is measured on a heap their fetches already freed.
struct PastPeriods {
    /// The period before, for the comparison (`nil` with `--no-compare`).
    var previous: PastFigures?
    /// The trend's periods, oldest first (empty without `--trend`).
    var trend: [PastFigures] = []
    /// The four weeks before the run time, for the forecast of a running period (`nil` otherwise).
    var forecastProfile: ForecastProfile?
    /// What measuring them found, emitted where the report's comparison, forecast and trend are made.
    var previousDiagnostics: [Diagnostic] = []
    var trendDiagnostics: [Diagnostic] = []
    var forecastDiagnostics: [Diagnostic] = []
}

/// What a forecast keeps of its lookback (``Forecaster/lookback(before:in:)``): the priced usage
/// and its buckets, and where the backend's data starts when that is inside it.
struct ForecastProfile {
    let lines: [CostLine]
    let buckets: Buckets
    let validFrom: Date?
}

extension ReportPipeline {
    /// Measures the comparison's period and the trend's, one at a time, each kept only as totals
    /// per team and key, so memory does not grow with `--trend`; a trend period that is the
    /// comparison's is measured once. For a running period with a forecast, its lookback too.
    /// - Throws: ``FetchError`` when Prometheus fails.
    func pastPeriods(_ request: ReportRequest) async throws -> PastPeriods {
        var past = PastPeriods()
        if request.compare {
            let own = withOwnDiagnostics()
            past.previous = try await own.past(Self.comparedPeriod(request), request, for: "the previous period")
            past.previousDiagnostics = own.diagnostics.all
        }
        if request.trend > 0 {
            let own = withOwnDiagnostics()
            for (index, period) in request.period.previous(request.trend).reversed().enumerated() {
                if let known = past.previous, known.period == period {
                    past.trend.append(known)
                } else {
                    past.trend.append(
                        try await own.past(period, request, for: "trend, \(index + 1) of \(request.trend)"))
                }
            }
            past.trendDiagnostics = own.diagnostics.all
        }
        if request.forecast && request.period.isPartial(now: request.now) {
            let own = withOwnDiagnostics()
            let lookback = Forecaster.lookback(before: request.now, in: request.period.timeZone)
            let profile = try await own.measure(
                lookback, now: request.now, hourly: false, allowEmpty: true,
                phase: "the 4 weeks before \(DateText.utc(request.now)) (forecast profile)")
            let coverage = profile.measured.coverage
            past.forecastProfile = ForecastProfile(
                lines: profile.lines, buckets: profile.plan.buckets,
                validFrom: coverage.periodStartsBeforeData ? coverage.dataStart : nil)
            past.forecastDiagnostics = own.diagnostics.all
        }
        return past
    }

    /// The period the report is compared with: the one before (``Period/previous``), or for a
    /// partial period the same length from the previous period's start.
    static func comparedPeriod(_ request: ReportRequest) -> Period {
        let full = request.period.previous
        return request.period.isPartial(now: request.now)
            ? full.prefix(seconds: request.now.timeIntervalSince(request.period.start)) : full
    }

    /// This pipeline with a collector of its own, whose diagnostics the caller emits later.
    private func withOwnDiagnostics() -> ReportPipeline {
        var copy = ReportPipeline(
            config: config, client: client, logger: logger, diagnostics: DiagnosticCollector(), progress: progress)
        copy.store = store
        copy.source = source
        copy.requestLog = requestLog
        return copy
    }

    /// A past period measured by ``measure(_:now:hourly:allowEmpty:phase:)`` like the report's own and
    /// kept as ``PeriodFigures`` (one entry per team and key): the one place past periods come
    /// from, for the comparison and the trend.
    ///
    /// A period with no samples at all (before the backend's data) has no figures and says so.
    /// - Throws: ``FetchError`` when Prometheus fails; the files' refusals (``InputError``, say a
    ///   model with no price back then) give no figures and say why.
    /// - Parameter purpose: what the period is measured for, in the progress: `the previous period`.
    func past(_ period: Period, _ request: ReportRequest, for purpose: String) async throws -> PastFigures {
        let past: PeriodMeasurement
        do {
            past = try await measure(
                period, now: request.now, hourly: false, allowEmpty: true, phase: "\(period.label) (\(purpose))")
        } catch let error as InputError {
            diagnostics.emit(.warning("\(period.label) is not compared: \(error.localizedDescription)"))
            return PastFigures(
                period: period, figures: nil, dataStart: nil,
                refused: "could not be priced or allocated (\(error.localizedDescription))", hasNoData: false)
        }
        guard past.hasData else {
            return PastFigures(period: period, figures: nil, dataStart: nil, refused: nil, hasNoData: true)
        }
        let coverage = past.measured.coverage
        return PastFigures(
            period: period, figures: PeriodFigures(lines: past.lines, allocation: past.allocation),
            dataStart: coverage.periodStartsBeforeData ? coverage.dataStart : nil, refused: nil, hasNoData: false)
    }

    /// The comparison of the report's period with the one before, measured already (`past`).
    func comparison(with current: PeriodMeasurement, past: PastFigures) -> Comparison {
        guard let figures = past.figures else {
            let reason = past.unavailable(backendDataStart: current.measured.coverage.dataStart) ?? "has no data"
            return Comparison(
                previous: past.period, rows: [],
                unavailable: "the previous period \(reason); nothing to compare with")
        }
        let compared = Compare.compare(
            current: PeriodFigures(lines: current.lines, allocation: current.allocation),
            previous: figures, previousPeriod: past.period)
        return Comparison(
            previous: past.period, rows: compared.rows, previousDataStart: past.dataStart, figures: compared.figures)
    }

    /// The trend: the past periods (measured already, oldest first), then the report's own.
    func trend(_ past: [PastFigures], current: PeriodMeasurement, _ request: ReportRequest) -> Trend {
        let dataStart = current.measured.coverage.dataStart
        var points = past.map { past in
            past.figures.map { TrendPoint(period: past.period, figures: $0) }
                ?? TrendPoint(
                    period: past.period, unavailable: past.unavailable(backendDataStart: dataStart) ?? "has no data")
        }
        points.append(
            TrendPoint(
                period: request.period,
                figures: PeriodFigures(lines: current.lines, allocation: current.allocation),
                partial: request.period.isPartial(now: request.now)))
        return Trend(points: points)
    }
}

extension ReportPipeline {
    /// Where a running period will end (``Forecaster``), from the four weeks before the run time
    /// (`profile`, measured like any period). `nil`, with a warning, when the files refuse the
    /// projected usage.
    /// - Throws: any error of ``Forecaster`` but ``InputError``.
    func forecast(current: PeriodMeasurement, profile: ForecastProfile, _ request: ReportRequest) throws -> Forecast? {
        do {
            return try Forecaster.forecast(
                period: request.period, asOf: request.now, measured: current.measured.tokens,
                newerBuilds: current.measured.newerBuilds, soFar: current.allocation, profile: profile.lines,
                profileBuckets: profile.buckets, validFrom: profile.validFrom, thresholds: config.thresholds,
                costing: current.costing)
        } catch let error as InputError {
            diagnostics.emit(.warning("no forecast: \(error.localizedDescription)"))
            return nil
        }
    }
}
