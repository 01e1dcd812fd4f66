import Foundation
import XCTest

@testable import ChargebackConfig
@testable import ChargebackMeasure
@testable import ChargebackNetwork

/// ``SeriesLookup``: a lookup the backend refuses for too many series is split by label, and the
/// refusal that no split helps names the limit and how to raise it.
final class SeriesLookupTests: XCTestCase {
    /// Refuses a lookup matching more than `limit` series, as VictoriaMetrics' `-search.maxSeries` does.
    final class LimitedBackend: ForwardingBackend, @unchecked Sendable {
        let limit: Int
        let all: [InMemoryBackend.Series]
        let lock = NSLock()
        var lookups: [String] = []
        init(series: [InMemoryBackend.Series], limit: Int) {
            self.limit = limit
            all = series
            super.init(
                InMemoryBackend(series: series, settings: PrometheusSettings(url: URL(string: "http://vm.invalid")!)))
        }
        override func series(_ selector: String, start: Date, end: Date) async throws -> [[String: String]] {
            lock.withLock { lookups.append(selector) }
            let found = try await inner.series(selector, start: start, end: end)
            guard found.count <= limit else {
                throw FetchError.api(
                    url: displayURL, errorType: "422",
                    message: "cannot fetch time series: the number of matching timeseries exceeds \(limit); "
                        + "either narrow down the search or increase -search.max* command-line flag values",
                    query: selector)
            }
            return found
        }
        override func labelValues(_ name: String, start: Date, end: Date) async throws -> [String] {
            Array(Set(all.compactMap { $0.labels[name] }))
        }
    }

    /// 3 pods × 2 token types × 40 users, and 4 series without a user: 244 series.
    private func world() -> [InMemoryBackend.Series] {
        var series: [InMemoryBackend.Series] = []
        for pod in ["a", "b", "c"] {
            for type in ["input", "output"] {
                for user in 0..<40 {
                    series.append(
                        .init(
                            labels: ["__name__": "tokens", "pod": pod, "type": type, "user_id": "u\(user)"],
                            samples: [(1_000, 1)]))
                }
            }
        }
        for pod in ["a", "b", "c", "d"] {
            series.append(.init(labels: ["__name__": "tokens", "pod": pod], samples: [(1_000, 1)]))
        }
        return series
    }

    func testARefusedLookupIsSplitByLabelUntilEachPartIsWithinTheLimit() async throws {
        let backend = LimitedBackend(series: world(), limit: 100)
        var requests = 0
        let found = try await SeriesLookup(client: backend, splitLabels: ["user_id", "pod"]).series(
            "tokens", start: Date(timeIntervalSince1970: 0), end: Date(timeIntervalSince1970: 10), requests: &requests)
        XCTAssertEqual(found.count, 244)
        XCTAssertEqual(Set(found.map { $0.description }).count, 244, "no series twice")
        // Refused, the user-less series (4), two halves of 20 users (120 each, refused), four of 10 (60).
        XCTAssertEqual(backend.lookups.first, "tokens")
        XCTAssertTrue(backend.lookups.contains("tokens{user_id=\"\"}"))
        XCTAssertEqual(backend.lookups.count, 1 + 1 + 2 + 4)
        XCTAssertEqual(requests, backend.lookups.count + 1, "and one label value lookup")
    }

    func testALookupWithinTheLimitIsOneRequest() async throws {
        let backend = LimitedBackend(series: world(), limit: 30_000)
        var requests = 0
        let found = try await SeriesLookup(client: backend, splitLabels: ["user_id"]).series(
            "tokens{pod=\"a\"}", start: Date(timeIntervalSince1970: 0), end: Date(timeIntervalSince1970: 10),
            requests: &requests)
        XCTAssertEqual(found.count, 81)
        XCTAssertEqual(requests, 1)
    }

    func testARefusalNoLabelSplitsNamesTheFlagToRaise() async throws {
        let backend = LimitedBackend(series: world(), limit: 1)
        var requests = 0
        do {
            _ = try await SeriesLookup(client: backend, splitLabels: ["pod"]).series(
                "tokens", start: Date(timeIntervalSince1970: 0), end: Date(timeIntervalSince1970: 10),
                requests: &requests)
            XCTFail("the lookup cannot be split within 1 series")
        } catch let error as FetchError {
            let text = error.localizedDescription
            XCTAssertTrue(text.contains("raise -search.maxSeries on the server"), text)
        }
        let samples = FetchError.api(
            url: "http://p", errorType: "execution",
            message: "query processing would load too many samples into memory in query execution", query: "q")
        XCTAssertTrue(samples.localizedDescription.contains("raise --query.max-samples"), samples.localizedDescription)
    }
}
