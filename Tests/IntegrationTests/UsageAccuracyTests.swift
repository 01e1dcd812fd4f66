import ChargebackCore
import Foundation
import Logging
import XCTest

/// The report's usage against the generator's ground truth, through a real Prometheus (docs/numbers.md).
final class UsageAccuracyTests: XCTestCase {
    /// Builds the October 2026 report in `zone` against the sample Prometheus.
    func report(in zone: TimeZone, period text: String = "2026-10") async throws -> (Report, SampleWorld) {
        let world = try SampleWorld.get()
        return (try await BackendReport.build(url: world.url, period: text, zone: zone), world)
    }

    func testMonthlyAndDailyUsageMatchTheGroundTruth() async throws {
        for zone in [TimeZone(identifier: "UTC")!, TimeZone(identifier: "Europe/Berlin")!] {
            let (report, world) = try await report(in: zone)
            let period = report.period
            // Monthly, per gateway × token type: within 0.05 %.
            let truth = world.truth.totals(from: period.start, to: period.end) { "\($0.gateway) \($0.tokenType)" }
            var ours: [String: Int64] = [:]
            for line in report.lines { ours["\(line.key.gateway) \(line.key.tokenType)", default: 0] += line.tokens }
            XCTAssertEqual(Set(ours.keys), Set(truth.keys), zone.identifier)
            XCTAssertEqual(truth.count, 12, "3 gateways × 4 token types")
            for (key, expected) in truth {
                let error = abs(Double(ours[key] ?? 0) - Double(expected)) / Double(expected)
                XCTAssertLessThanOrEqual(
                    error, 0.0005, "\(zone.identifier) \(key): ours \(ours[key] ?? 0), truth \(expected)")
            }
            // Daily, per gateway, for days whose boundaries no gap of that gateway crosses: within 1 %.
            // (Per gateway × token type a quiet Saturday's cache-read total is a few dozen requests, and one
            // request scraped after midnight already moves it by 1 %: no method can see it.)
            let gaps = world.gapWindows()
            var checkedDays = 0
            for (index, day) in report.buckets.days.enumerated() {
                let dayTruth = world.truth.totals(from: day.start, to: day.end) { $0.gateway }
                for (gateway, expected) in dayTruth where expected > 0 {
                    let crossed = gaps.contains { gap in
                        gap.gateway == gateway && [day.start, day.end].contains { gap.from < $0 && $0 < gap.to }
                    }
                    if crossed { continue }
                    let measured = report.lines.filter { $0.key.gateway == gateway }
                        .reduce(Int64(0)) { total, line in total + day.hours.reduce(0) { $0 + line.hourlyTokens[$1] } }
                    let error = abs(Double(measured) - Double(expected)) / Double(expected)
                    XCTAssertLessThanOrEqual(
                        error, 0.01,
                        "\(zone.identifier) day \(index + 1) \(gateway): ours \(measured), truth \(expected)")
                    checkedDays += 1
                }
            }
            XCTAssertGreaterThan(checkedDays, 31 * 3 - 6, "all but the gap-crossed day × gateway cells are checked")
        }
    }

    /// A day whose start a 3-hour scrape gap crosses: the series' last sample is 90 minutes before
    /// the day, so the day's share of the gap is taken by time, never the whole counter value.
    func testADayStartingInsideAGapTakesOnlyItsShare() async throws {
        let (report, world) = try await report(in: TimeZone(identifier: "UTC")!, period: "2026-10-22")
        let truth = world.truth.totals(from: report.period.start, to: report.period.end) { $0.gateway }
        for (gateway, expected) in truth {
            let ours = report.lines.filter { $0.key.gateway == gateway }.reduce(Int64(0)) { $0 + $1.tokens }
            XCTAssertEqual(Double(ours), Double(expected), accuracy: Double(expected) * 0.02, gateway)
        }
        XCTAssertTrue(report.coverage.startedInPeriod.isEmpty, "no series is mistaken for a new one")
    }

    /// Every fault the generator injected is seen and reported in the coverage figures.
    func testFaultsAreReportedInTheCoverage() async throws {
        let (report, world) = try await report(in: TimeZone(identifier: "UTC")!)
        let coverage = report.coverage
        let faults = world.faultList()
        let reset = try XCTUnwrap(faults.first { $0["kind"] as? String == "reset" })
        let restart = try XCTUnwrap(DateText.parseInstant(reset["time"] as! String))
        let pod = try XCTUnwrap(reset["pod"] as? String)
        // Series come back lazily, each at its first scrape after a request: each shows one reset.
        XCTAssertFalse(coverage.resets.isEmpty, "the reset is counted")
        for event in coverage.resets {
            XCTAssertTrue(event.series.contains(pod), "\(event.series) is on the restarted pod")
            XCTAssertTrue(
                event.at > restart && event.at < restart.addingTimeInterval(900), "\(event.at) follows the restart")
        }

        let replaced = try XCTUnwrap(faults.first { $0["kind"] as? String == "pod_replaced" })
        let newPod = try XCTUnwrap(replaced["pod"] as? String)
        let oldPod = try XCTUnwrap(replaced["old_pod"] as? String)
        XCTAssertTrue(coverage.startedInPeriod.contains { $0.series.contains(newPod) }, "the new pod's series start")
        XCTAssertTrue(coverage.stoppedInPeriod.contains { $0.series.contains(oldPod) }, "the old pod's series stop")

        let started = try XCTUnwrap(faults.first { $0["kind"] as? String == "series_started" })
        let model = try XCTUnwrap(started["model"] as? String)
        let gateway = try XCTUnwrap(started["gateway"] as? String)
        XCTAssertTrue(
            coverage.startedInPeriod.contains { $0.series.contains(model) && $0.series.contains(gateway) },
            "the mid-month series starts from zero")

        for gap in world.gapWindows() where gap.from >= report.period.start && gap.from < report.period.end {
            XCTAssertTrue(
                coverage.gapWindows.contains {
                    abs($0.from.timeIntervalSince(gap.from)) < 1
                        && abs($0.to.timeIntervalSince(gap.to)) < 1 && $0.target.hasPrefix(gap.gateway)
                },
                "gap \(gap) is reported")
        }
        let outage = try XCTUnwrap(coverage.gapWindows.first { $0.seconds > 3600 && $0.to > report.period.end })
        XCTAssertTrue(outage.apportioned, "the month-end outage is shared by time")
        XCTAssertGreaterThan(coverage.ratio, 0.99)
        XCTAssertLessThan(coverage.ratio, 1.0)
    }
}

extension SampleWorld {
    /// The generator's faults as dictionaries.
    func faultList() -> [[String: Any]] { faults["faults"] as? [[String: Any]] ?? [] }

    /// Scrape gaps and outages: the last scrape before and the first after, per gateway.
    func gapWindows() -> [(gateway: String, from: Date, to: Date)] {
        faultList().compactMap { fault in
            guard ["gap", "outage"].contains(fault["kind"] as? String ?? ""),
                let gateway = fault["gateway"] as? String,
                let from = (fault["last_scrape_before"] as? String).flatMap(DateText.parseInstant),
                let to = (fault["first_scrape_after"] as? String).flatMap(DateText.parseInstant)
            else { return nil }
            return (gateway, from, to)
        }
    }
}
