import XCTest

@testable import ChargebackCore

/// Native histogram samples: read from the query API as their `sum` with their `count`, a count
/// that goes down is a reset even where the sum does not, and a counter read as both kinds at
/// once (`histograms: both`) or first classic then native is counted once.
final class NativeHistogramSamplesTests: XCTestCase {
    let buckets = Buckets(period: try! Period.parse("2026-10-01", in: TimeZone(identifier: "UTC")!))
    var start: Int64 { buckets.startMillis }
    let labels = ["gateway": "ns/gw", "gen_ai_request_model": "m", "gen_ai_token_type": "input", "pod": "gw-0"]

    func testAMatrixOfNativeSamplesReadsEachSumWithItsCount() throws {
        let body = """
            {"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"h","pod":"p"},\
            "histograms":[[1791000000,{"count":"1","sum":"50","buckets":[[0,"32","64","1"]]}],\
            [1791000060.5,{"count":"3","sum":"150.5"}]]},\
            {"metric":{"__name__":"h_sum","pod":"p"},"values":[[1791000000,"7"]]}]}}
            """
        let parsed = try Array(body.utf8).withUnsafeBytes { try QueryResponse.parse($0) }
        let series = try XCTUnwrap(parsed.result)
        XCTAssertEqual(series.count, 2)
        XCTAssertEqual(series[0].samples.map(\.0), [1_791_000_000_000, 1_791_000_060_500])
        XCTAssertEqual(series[0].samples.map(\.1), [50, 150.5])
        XCTAssertEqual(series[0].histogramCounts, [1, 3])
        XCTAssertNil(series[1].histogramCounts)
        let vector = """
            {"status":"success","data":{"resultType":"vector","result":[{"metric":{"pod":"p"},\
            "histogram":[1791000000,{"count":"0","sum":"0"}]}]}}
            """
        let instant = try Array(vector.utf8).withUnsafeBytes { try QueryResponse.parse($0) }
        XCTAssertEqual(instant.result?.first?.histogramCounts, [0])
    }

    /// A restart whose new sum already passed the old one by the next scrape: the float rule sees
    /// growth, the count says reset, and the new sum is the increase.
    func testACountThatGoesDownIsAReset() {
        var accumulator = UsageAccumulator(
            buckets: buckets, dimensions: UsageDimensions(labels: .init(), extraLabels: [], dedupeLabels: []),
            gapFactor: 1.5)
        accumulator.seriesTag = (NativeHistograms.kindLabel, NativeHistograms.kindValue)
        let times = (0..<4).map { start - 60_000 + Int64($0) * 60_000 }
        accumulator.ingest(
            series: labels, samples: zip(times, [1000, 1100, 1500, 1600]).map { ($0, $1) },
            histogramCounts: [10, 11, 2, 3])
        // The sample at the period start closes the hour before; the float rule alone would give 400 + 100.
        XCTAssertEqual(accumulator.usage.values.reduce(0) { $0 + $1.reduce(0, +) }, 1500 + 100)
    }

    /// `histograms: both` with the classic series kept: the same counter as `_sum` and as a native
    /// histogram at the same instants is counted once; a series classic while empty and native from
    /// its first observation is one counter.
    func testBothKindsOfOneCounterCountOnce() {
        let dimensions = UsageDimensions(labels: .init(), extraLabels: [], dedupeLabels: [])
        let times = (0..<120).map { start - 3_600_000 + Int64($0) * 60_000 }
        let values = times.indices.map { Double($0 * 10) }
        var both = UsageAccumulator(buckets: buckets, dimensions: dimensions, gapFactor: 1.5)
        both.ingest(series: labels, samples: Array(zip(times, values)))
        both.seriesTag = (NativeHistograms.kindLabel, NativeHistograms.kindValue)
        both.ingest(series: labels, samples: Array(zip(times, values)), histogramCounts: values.map { $0 / 10 })
        both.seriesTag = nil
        both.settleDataEdge(readFromMillis: start - 26 * 3_600_000)
        XCTAssertEqual(both.usage.values.reduce(0) { $0 + $1.reduce(0, +) }, Int64(values.last! - values[60]))

        var switched = UsageAccumulator(buckets: buckets, dimensions: dimensions, gapFactor: 1.5)
        switched.ingest(series: labels, samples: times.prefix(70).map { ($0, 0) })
        switched.seriesTag = (NativeHistograms.kindLabel, NativeHistograms.kindValue)
        switched.ingest(
            series: labels, samples: Array(zip(times, values).dropFirst(70)),
            histogramCounts: values.dropFirst(70).map { $0 / 10 })
        switched.seriesTag = nil
        switched.settleDataEdge(readFromMillis: start - 26 * 3_600_000)
        XCTAssertEqual(switched.usage.values.reduce(0) { $0 + $1.reduce(0, +) }, Int64(values.last!))
    }
}
