import XCTest

@testable import ChargebackConfig
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork

/// VictoriaMetrics' one `aggr_over_time` query per stretch gives the summaries its four queries give.
final class CombinedSummariesTests: XCTestCase {
    let buckets = DayGrid.buckets
    var grid: SummaryGrid { DayGrid.grid }

    /// Answers each summary function from a formula per series and hour; a combined query with
    /// every function, each series labelled with its function unless `dropsRollup`.
    final class FormulaBackend: ForwardingBackend, @unchecked Sendable {
        let pods = ["a", "b", "c"]
        var dropsRollup = false

        init() {
            super.init(
                InMemoryBackend(series: [], settings: PrometheusSettings(url: URL(string: "http://in-memory.invalid")!))
            )
        }

        func value(_ function: SummaryQuery.Function, pod: Int, millis: Int64) -> Double {
            let hour = Double(millis / Hour.millis % 1000)
            switch function {
            case .count: return 60 + Double(pod)
            case .last: return 1000 * Double(pod + 1) + 37 * hour
            case .minimum: return 1000 * Double(pod + 1) + 37 * hour - 30
            case .resets: return hour.truncatingRemainder(dividingBy: 7) == Double(pod) ? 1 : 0
            }
        }

        override func queryRange(_ promql: String, start: Date, end: Date, stepSeconds: Int) async throws
            -> QueryResult
        {
            let times = Array(stride(from: start.millis, through: end.millis, by: stepSeconds * 1000)).map { Int64($0) }
            let functions = SummaryQuery.Function.allCases.filter { promql.hasPrefix($0.rawValue + "(") }
            let combined = promql.hasPrefix("aggr_over_time(")
            var series: [SeriesSamples] = []
            for function in combined ? SummaryQuery.Function.allCases : functions {
                for (index, pod) in pods.enumerated() {
                    var labels = ["pod": pod, "job": "gw"]
                    if combined && !dropsRollup { labels[SummaryQuery.rollupLabel] = function.rawValue }
                    series.append(
                        SeriesSamples(
                            labels: labels, samples: times.map { ($0, value(function, pod: index, millis: $0)) }))
                }
            }
            return QueryResult(series: series, warnings: [], bytes: 0)
        }
    }

    func testOneCombinedQueryPerStretchReadsWhatTheFourQueriesRead() async throws {
        let config = ChargebackConfig(
            prometheus: PrometheusSettings(url: URL(string: "http://in-memory.invalid")!), metrics: MetricSettings(),
            pricing: InMemoryReportTests.priceBook, teams: InMemoryReportTests.teamBook,
            timeZone: buckets.period.timeZone,
            thresholds: Thresholds(), gapFactor: 1.5, files: [])
        let plan = QueryPlan(
            config: config, period: buckets.period, now: buckets.period.end.addingTimeInterval(86400 * 3))
        let separate = plan.summaryQueries("m", hoursPerQuery: 20)
        let combined = plan.summaryQueries("m", hoursPerQuery: 20, combined: true)
        XCTAssertEqual(separate.count, 4 * combined.count)
        XCTAssertGreaterThan(combined.count, 1, "the grid takes more than one stretch of 20 hours")
        XCTAssertEqual(
            combined.first?.promql,
            #"aggr_over_time(("count_over_time","last_over_time","min_over_time","resets"), m[3599999ms])"#)
        XCTAssertTrue(combined.allSatisfy { $0.function == nil })

        let backend = FormulaBackend()
        let reader = SummaryReader(client: backend, grid: plan.grid)
        let one = try await reader.read(separate) { _, _ in }
        let other = try await reader.read(combined) { _, _ in }
        XCTAssertEqual(one.count, 3)
        XCTAssertEqual(Set(one.keys), Set(other.keys), "the rollup label is not part of a series' identity")
        for (identity, hours) in one {
            let twin = try XCTUnwrap(other[identity])
            XCTAssertEqual(twin.labels, hours.labels)
            XCTAssertEqual(twin.count, hours.count)
            XCTAssertEqual(twin.resets, hours.resets)
            XCTAssertEqual(twin.last.map(\.bitPattern), hours.last.map(\.bitPattern))
            XCTAssertEqual(twin.minimum.map(\.bitPattern), hours.minimum.map(\.bitPattern))
            XCTAssertTrue(hours.last.allSatisfy { !$0.isNaN }, "every hour of the grid was answered")
        }

        backend.dropsRollup = true
        do {
            _ = try await reader.read(combined) { _, _ in }
            XCTFail("an answer whose series name no function cannot be placed")
        } catch let error as SummaryReader.OffGrid {
            XCTAssertTrue(error.how.contains("`rollup`"), error.how)
        }
    }
}
