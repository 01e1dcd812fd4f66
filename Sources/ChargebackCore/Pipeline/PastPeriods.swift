import Foundation

/// A past period's figures, or why there are none.
struct PastFigures {
    let period: Period
    let figures: PeriodFigures?
    /// Where the data starts when after the period's start.
    let dataStart: Date?
    /// Why ``figures`` is `nil`.
    let unavailable: String?
}

extension ReportPipeline {
    /// A past period measured by ``measure(_:now:hourly:allowEmpty:)`` like the report's own and
    /// kept as ``PeriodFigures`` (one entry per team and key): the one place past periods come
    /// from, for the comparison and the trend.
    ///
    /// A period with no samples at all (before the backend's data) has no figures and says so.
    /// - Throws: ``FetchError`` when Prometheus fails; the files' refusals (``InputError``, say a
    ///   model with no price back then) give no figures and say why.
    func past(_ period: Period, _ request: ReportRequest, dataStart: Date?) async throws -> PastFigures {
        let past: PeriodMeasurement
        do {
            past = try await measure(period, now: request.now, hourly: false, allowEmpty: true)
        } catch let error as InputError {
            diagnostics.emit(.warning("\(period.label) is not compared: \(error.localizedDescription)"))
            return PastFigures(
                period: period, figures: nil, dataStart: nil,
                unavailable: "could not be priced or allocated (\(error.localizedDescription))")
        }
        guard past.hasData else {
            let start =
                dataStart.map { ", the backend's data starts at " + DateText.rfc3339($0, in: period.timeZone) } ?? ""
            return PastFigures(period: period, figures: nil, dataStart: nil, unavailable: "has no data\(start)")
        }
        let coverage = past.measured.coverage
        return PastFigures(
            period: period, figures: PeriodFigures(lines: past.lines, allocation: past.allocation),
            dataStart: coverage.periodStartsBeforeData ? coverage.dataStart : nil, unavailable: nil)
    }

    /// The comparison of the report's period with the one before (``Period/previous``); a
    /// partial period is compared with the same length of the previous period's start.
    func comparison(with current: PeriodMeasurement, _ request: ReportRequest) async throws
        -> (Comparison, PastFigures)
    {
        let full = request.period.previous
        let previous =
            request.period.isPartial(now: request.now)
            ? full.prefix(seconds: request.now.timeIntervalSince(request.period.start)) : full
        let past = try await self.past(previous, request, dataStart: current.measured.coverage.dataStart)
        guard let figures = past.figures else {
            return (
                Comparison(
                    previous: previous, rows: [],
                    unavailable: "the previous period \(past.unavailable ?? "has no data"); nothing to compare with"),
                past
            )
        }
        let compared = Compare.compare(
            current: PeriodFigures(lines: current.lines, allocation: current.allocation),
            previous: figures, previousPeriod: previous)
        return (
            Comparison(
                previous: previous, rows: compared.rows, previousDataStart: past.dataStart, figures: compared.figures),
            past
        )
    }

    /// The `count` periods before the report's, oldest first, then the report's own: each
    /// measured one at a time and kept only as totals per team, so memory does not grow with
    /// `count`. `known` is a past period already measured (the comparison's), used again.
    func trend(_ count: Int, current: PeriodMeasurement, _ request: ReportRequest, known: PastFigures?) async throws
        -> Trend
    {
        var points: [TrendPoint] = []
        for period in request.period.previous(count).reversed() {
            let past: PastFigures
            if let known, known.period == period {
                past = known
            } else {
                past = try await self.past(period, request, dataStart: current.measured.coverage.dataStart)
            }
            points.append(
                past.figures.map { TrendPoint(period: period, figures: $0) }
                    ?? TrendPoint(period: period, unavailable: past.unavailable ?? "has no data"))
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
    /// Where a running period will end (``Forecaster``), from the four weeks before the run time,
    /// measured like any period. `nil`, with a warning, when the files refuse the projected usage.
    func forecast(current: PeriodMeasurement, _ request: ReportRequest) async throws -> Forecast? {
        let lookback = Forecaster.lookback(before: request.now, in: request.period.timeZone)
        let profile = try await measure(lookback, now: request.now, hourly: false, allowEmpty: true)
        let coverage = profile.measured.coverage
        do {
            return try Forecaster.forecast(
                period: request.period, asOf: request.now, measured: current.measured.tokens,
                soFar: current.allocation, profile: profile.lines,
                profileBuckets: profile.plan.buckets,
                validFrom: coverage.periodStartsBeforeData ? coverage.dataStart : nil,
                config: config)
        } catch let error as InputError {
            diagnostics.emit(.warning("no forecast: \(error.localizedDescription)"))
            return nil
        }
    }
}
