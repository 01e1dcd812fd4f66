import ChargebackCore
import Foundation
import TestSupport
import XCTest

/// The usage store against a real Prometheus: a history collected day by day as cron would
/// collect it serves October to the token after Prometheus has deleted most of it.
final class StoreTests: XCTestCase {
    /// The cron runs: a first one on September 30th (the store starts at the history's first
    /// sample, September 26th), then one each midnight until November 2nd, when October's last
    /// hours have been measured with the whole lookahead after them.
    static let days: [String] = {
        var days: [String] = []
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var day = DateText.parseInstant("2026-09-30T00:00:00Z")!
        while day <= DateText.parseInstant("2026-11-02T00:00:00Z")! {
            days.append(DateText.utc(day))
            day = calendar.date(byAdding: .day, value: 1, to: day)!
        }
        return days
    }()

    func testADailyCollectedStoreServesOctoberByteForByteAfterRetentionDeletedIt() async throws {
        try await Self.dailyCollectedStoreServesOctober(.sqlite)
    }

    func testAKilledCollectResumesToTheSameStore() async throws {
        try await Self.killedCollectResumes(.sqlite)
    }

    /// Two collects split mid-day store what one collect of the whole stretch stores, to the token
    /// and sample: split just before the history's counter reset (2026-10-09T14:23:25Z, inside
    /// the first run's lookahead) and just after its hour ended (the reset hour stored by the first
    /// run five minutes after its end, then measured again by the second).
    func testCollectingInTwoRunsSplitMidDayEqualsOneRun() async throws {
        let sample = try SampleWorld.get()
        let start = ["--prometheus-url", sample.url, "--from", "2026-10-08T00:00:00Z", "--quiet"]
        let end = "2026-10-10T18:00:00Z"
        let whole = try StoreWorld("cb-store-whole")
        defer { whole.folder.remove() }
        try whole.run(["collect"], start + ["--as-of", end])
        let expected = try await whole.contents()
        XCTAssertEqual(expected.count, 24 + 24 + 18)
        let resetHour = Hour(containing: try XCTUnwrap(DateText.parseInstant("2026-10-09T14:00:00Z")))
        let reset = try XCTUnwrap(expected.first { $0.start == resetHour })
        XCTAssertTrue(reset.events.contains { $0.kind == .reset }, "the reset is stored in its hour")
        for split in ["2026-10-09T14:10:00Z", "2026-10-09T15:05:00Z"] {
            let twice = try StoreWorld("cb-store-split")
            defer { twice.folder.remove() }
            try twice.run(["collect"], start + ["--as-of", split])
            let first = try await twice.contents()
            XCTAssertEqual(
                first.last?.start.next, DateText.parseInstant(split).map(Hour.init(containing:)),
                "the first run ends at the split's last complete hour")
            try twice.run(["collect"], ["--prometheus-url", sample.url, "--quiet", "--as-of", end])
            let second = try await twice.contents()
            XCTAssertEqual(second.count, expected.count, "split at \(split)")
            for (one, other) in zip(second, expected) where one != other {
                XCTFail("split at \(split): hour \(one.start) differs: \(one.tokens) vs \(other.tokens)")
            }
        }
    }

    /// A pause in collecting longer than the retention: the second collect's Prometheus no longer
    /// holds the samples before 2026-10-22T00:30Z, inside what the first run stored (through the
    /// hour ending 01:00) and what the second would measure again. The stored hours before the
    /// edge are kept, not rewritten from what is left, and every series continues from its counter
    /// state stored at 01:00: agentgateway2's counters, silent from 22:29:33 to 01:30:18 (a scrape
    /// gap the first run had not seen end), share that gap's increase by time over the stored hours
    /// too. The store's tokens then equal, hour by hour and key by key, those of one collect of the
    /// whole stretch from the full history. Without the states, the first sample left of each
    /// running series would be a baseline, and agentgateway2's whole past would count as usage.
    func testACollectContinuesFromTheStoredStatesWhereRetentionDeletedTheSamples() async throws {
        let sample = try SampleWorld.get()
        let end = "2026-10-23T12:00:00Z"
        let whole = try StoreWorld("cb-store-whole")
        defer { whole.folder.remove() }
        try whole.run(
            ["collect"], ["--prometheus-url", sample.url, "--from", "2026-10-21T00:00:00Z", "--as-of", end, "--quiet"])
        let expected = try await whole.contents()
        XCTAssertEqual(expected.count, 24 + 24 + 12)

        let paused = try StoreWorld("cb-store-paused")
        defer { paused.folder.remove() }
        try paused.run(
            ["collect"],
            [
                "--prometheus-url", sample.url, "--from", "2026-10-21T00:00:00Z", "--as-of", "2026-10-22T01:10:00Z",
                "--quiet",
            ])
        let edgeHour = Hour(containing: try XCTUnwrap(DateText.parseInstant("2026-10-22T00:00:00Z")))
        let states = try await paused.states(atEndOf: [edgeHour])[0]
        let wholeAtEdge = try await whole.states(atEndOf: [edgeHour])[0]
        XCTAssertEqual(states, wholeAtEdge, "the states do not depend on the run")
        let silent = states.filter { $0.identity.contains("agentgateway2-cc5qfh6d4") }
        XCTAssertFalse(silent.isEmpty)
        XCTAssertTrue(
            silent.allSatisfy { DateText.utc(Date(millis: $0.millis)).hasPrefix("2026-10-21T22:29:33") },
            "the series in the gap carry their last sample before it: \(silent.map(\.millis))")

        let recent = try ScratchPrometheus(copying: sample, flags: "--web.enable-admin-api")
        defer { recent.stop() }
        try await recent.deleteSamples(before: try XCTUnwrap(DateText.parseInstant("2026-10-22T00:30:00Z")))
        let second = try paused.run(["collect"], ["--prometheus-url", recent.url, "--as-of", end])
        XCTAssertTrue(second.stderr.contains("series continue from their counter states stored there"), second.stderr)
        let collected = try await paused.contents()
        XCTAssertEqual(collected.map(\.start), expected.map(\.start))
        let hours = expected.map(\.start)
        let (pausedStates, wholeStates) = (
            try await paused.states(atEndOf: hours), try await whole.states(atEndOf: hours)
        )
        XCTAssertTrue(wholeStates.allSatisfy { !$0.isEmpty }, "every hour has states")
        for (hour, (one, other)) in zip(hours, zip(pausedStates, wholeStates)) where one != other {
            XCTFail("states at the end of \(hour) differ: \(one.count) vs \(other.count) series")
        }
        for (one, other) in zip(collected, expected) where one.tokens != other.tokens {
            let keys = Set(one.tokens.keys).union(other.tokens.keys).filter { one.tokens[$0] != other.tokens[$0] }
            XCTFail(
                "hour \(one.start): "
                    + keys.map {
                        "\($0.gateway) \($0.model) \($0.tokenType) \(one.tokens[$0] ?? 0) vs \(other.tokens[$0] ?? 0)"
                    }
                    .sorted().joined(separator: "; "))
        }
    }

    /// Collects day by day as cron would, then reports October from a Prometheus holding only its
    /// last days, and from no Prometheus at all: the CSVs are those of the full history.
    static func dailyCollectedStoreServesOctober(_ backend: StoreBackend) async throws {
        let sample = try SampleWorld.get()
        let world = try backend.world("cb-store")
        defer { world.folder.remove() }
        let started = Date()
        for day in Self.days {
            try world.run(["collect"], ["--prometheus-url", sample.url, "--as-of", day, "--quiet"])
        }
        let collectSeconds = Date().timeIntervalSince(started)
        // A second run as of the same moment has nothing to do.
        let again = try world.run(["collect"], ["--prometheus-url", sample.url, "--as-of", Self.days.last!])
        XCTAssertTrue(again.stdout.hasPrefix("collected 0 hour(s)"), again.stdout)
        // store status names every scrape gap of the history (by its last sample before) and the reset.
        let status = try world.run(["store", "status"], ["--offline"]).stdout
        let faults = try XCTUnwrap(sample.faults["faults"] as? [[String: Any]])
        let gaps = faults.filter { ["gap", "outage"].contains($0["kind"] as? String) }
            .compactMap { ($0["last_scrape_before"] as? String)?.prefix(19) }
        XCTAssertEqual(gaps.count, 8, "seven scrape gaps and the outage across the month end")
        for gap in gaps { XCTAssertTrue(status.contains(gap), "\(gap) not in:\n\(status)") }
        // The pod restart at the reset leaves a gap of its own.
        XCTAssertTrue(status.contains("scrape gaps:  \(gaps.count + 1) in the stored hours"), status)
        XCTAssertNotNil(status.range(of: #"missed, [1-9][0-9]* counter reset"#, options: .regularExpression), status)
        XCTAssertNotNil(status.range(of: #"states: +[1-9][0-9]* counter state"#, options: .regularExpression), status)
        let full = try world.reportCSVs("full", ["--prometheus-url", sample.url, "--source", "prometheus"])
        XCTAssertEqual(full.count, 3)
        XCTAssertTrue(full.values.allSatisfy { $0.count > 100 })

        // A Prometheus holding only the history's last 10 days.
        let recent = try ScratchPrometheus(copying: sample, flags: "--web.enable-admin-api")
        defer { recent.stop() }
        try await recent.deleteSamples(before: try XCTUnwrap(DateText.parseInstant("2026-10-26T00:00:00Z")))
        let short = try world.reportCSVs("short", ["--prometheus-url", recent.url, "--source", "prometheus"])
        XCTAssertNotEqual(short["usage"], full["usage"], "the short Prometheus alone cannot give October")
        let auto = try world.reportCSVs("auto", ["--prometheus-url", recent.url])
        for kind in ["usage", "chargeback", "teams"] {
            XCTAssertEqual(auto[kind], full[kind], "\(kind) CSV from the store differs from the full history's")
        }
        let sources = try XCTUnwrap(try world.manifest("auto")["usage_sources"] as? [[String: Any]])
        XCTAssertEqual(sources.map { $0["source"] as? String }, ["store"])
        XCTAssertEqual(sources.first?["hours"] as? Int, 31 * 24)

        // No Prometheus at all.
        let nowhere = "http://127.0.0.1:\(try ClosedPort.find())"
        let offline = try world.reportCSVs("offline", ["--prometheus-url", nowhere, "--source", "store"])
        for kind in ["usage", "chargeback", "teams"] {
            XCTAssertEqual(
                offline[kind], full[kind], "\(kind) CSV from the store alone differs from the full history's")
        }
        print(
            "\(backend): collect of \(Self.days.count) days, one run per day: "
                + "\(String(format: "%.1f", collectSeconds)) s")
    }

    /// Hours the store lacks come from Prometheus, measured the same way: the same CSVs.
    func testAStoreMissingTheLastDaysIsCompletedFromPrometheus() throws {
        let sample = try SampleWorld.get()
        let world = try StoreWorld("cb-store-part")
        defer { world.folder.remove() }
        try world.run(
            ["collect"],
            [
                "--prometheus-url", sample.url, "--from", "2026-10-01", "--to", "2026-10-20",
                "--as-of", "2026-11-22", "--quiet",
            ])
        let full = try world.reportCSVs("full", ["--prometheus-url", sample.url, "--source", "prometheus"])
        let mixed = try world.reportCSVs("mixed", ["--prometheus-url", sample.url])
        for kind in ["usage", "chargeback", "teams"] { XCTAssertEqual(mixed[kind], full[kind], kind) }
        let sources = try XCTUnwrap(try world.manifest("mixed")["usage_sources"] as? [[String: Any]])
        XCTAssertEqual(sources.map { $0["source"] as? String }, ["store", "prometheus"])
        XCTAssertEqual(sources.map { $0["hours"] as? Int }, [19 * 24, 12 * 24])
        // With the store alone, the missing days count nothing and say so.
        let output = world.folder.file("store-only")
        let outcome = try ChildProcess.runBlocking(
            StoreWorld.binary,
            [
                "report", "--config", world.config, "--period", "2026-10", "--format", "csv", "--output", output.path,
                "--source", "store", "--prometheus-url", sample.url,
            ], environment: [:])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertTrue(outcome.stderr.contains("288 hour(s) of the period are not in the store"), outcome.stderr)
    }

    /// SIGKILL during a collect, then the same collect again: the store equals one never killed.
    static func killedCollectResumes(_ backend: StoreBackend) async throws {
        let sample = try SampleWorld.get()
        // Two weeks: two measured batches (a week each), 336 hours committed one by one.
        let arguments = [
            "--prometheus-url", sample.url, "--from", "2026-10-05", "--to", "2026-10-19", "--as-of",
            "2026-11-22", "--quiet",
        ]
        let clean = try backend.world("cb-store-clean")
        defer { clean.folder.remove() }
        let started = Date()
        try clean.run(["collect"], arguments)
        let duration = Date().timeIntervalSince(started)
        let expected = try await clean.contents()
        XCTAssertEqual(expected.count, 14 * 24)
        let expectedStates = try await clean.states(atEndOf: expected.map(\.start))
        XCTAssertTrue(expectedStates.allSatisfy { !$0.isEmpty }, "a counter state at every hour's end")
        print("\(backend): collect of 14 days: \(String(format: "%.1f", duration)) s")
        try await resumeCutsEveryGap(backend, arguments, expected: expected, states: expectedStates)
        var partial = 0
        for fraction in [0.3, 0.6, 0.85] {
            let killed = try backend.world("cb-store-killed")
            defer { killed.folder.remove() }
            let run = try ChildProcess.start(
                StoreWorld.binary, ["collect", "--config", killed.config] + arguments,
                environment: [:])
            try await Task.sleep(nanoseconds: UInt64(duration * fraction * 1e9))
            run.kill(SIGKILL)
            let outcome = run.wait()
            let left = killed.storeExists ? try await killed.contents() : []
            if outcome.status != 0 {
                XCTAssertEqual(outcome.status, 128 + SIGKILL)
                if !left.isEmpty && left.count < expected.count { partial += 1 }
                // Whatever was committed is already exact.
                XCTAssertEqual(left, Array(expected.prefix(left.count)), "killed after \(fraction) of a run")
            }
            try killed.run(["collect"], arguments)
            try await assertSameStore(
                killed, expected, expectedStates, "re-run after a kill at \(fraction) (\(left.count) hours left)")
        }
        XCTAssertGreaterThan(partial, 0, "at least one kill fell between committed hours")
    }

    /// The kill above stops a run at an hour it cannot choose; this stops one at the hours that
    /// matter: for every scrape gap across an hour's end, the first run stores the hours up to k,
    /// so that the resumed run's second week-long batch starts inside the gap (the hour it cuts
    /// is measured by two batches that each see the whole gap). The resumed store must equal
    /// `expected`, events included.
    static func resumeCutsEveryGap(
        _ backend: StoreBackend, _ arguments: [String], expected: [StoredHour], states: [[SeriesState]]
    ) async throws {
        let first = try XCTUnwrap(expected.first?.start)
        let weekHours = 7 * 24  // a collect measures week-long batches
        let cuts = Set(
            expected.flatMap(\.events).filter {
                $0.kind == .gap && Hour(containingMillis: $0.fromMillis) != Hour(containingMillis: $0.toMillis - 1)
            }
            .map { first.distance(to: Hour(containingMillis: $0.toMillis - 1)) - weekHours }
            .filter { $0 > 0 })
        XCTAssertFalse(cuts.isEmpty, "the history has a scrape gap across an hour's end in its second week")
        for cut in cuts.sorted() {
            let world = try backend.world("cb-store-cut")
            defer { world.folder.remove() }
            let end = DateText.utc(first.advanced(by: cut).startDate)
            try world.run(["collect"], arguments.map { $0 == "2026-10-19" ? end : $0 })
            let stored = try await world.contents()
            XCTAssertEqual(stored.count, cut)
            try world.run(["collect"], arguments)
            try await assertSameStore(world, expected, states, "resumed after \(cut) hours")
        }
    }

    /// Fails for every way `world`'s store differs from one clean run's `expected` hours and
    /// `states`: the number of hours, each differing hour (and in what), the counter states.
    static func assertSameStore(
        _ world: StoreWorld, _ expected: [StoredHour], _ states: [[SeriesState]], _ context: String
    ) async throws {
        let stored = try await world.contents()
        XCTAssertEqual(stored.count, expected.count, context)
        for (one, other) in zip(stored, expected) where one != other {
            XCTFail(
                "\(context): hour \(one.start) differs: same tokens \(one.tokens == other.tokens), "
                    + "same requests \(one.requests == other.requests), same events \(one.events == other.events) "
                    + "(\(one.events.count) vs \(other.events.count)), samples \(one.samples) vs \(other.samples)")
        }
        let storedStates = try await world.states(atEndOf: expected.map(\.start))
        XCTAssertEqual(storedStates, states, "the counter states: \(context)")
    }

    /// Hours collected while Prometheus had lost them, collected again with `--replace` once the
    /// samples are back (a backfill): every change is recorded, shown by `store status` and noted
    /// by the next report, whose figures are then those of the full history.
    func testReplacedHoursAreRecordedAndShown() async throws {
        let sample = try SampleWorld.get()
        let holed = try ScratchPrometheus(copying: sample, flags: "--web.enable-admin-api")
        defer { holed.stop() }
        try await holed.deleteSamples(before: try XCTUnwrap(DateText.parseInstant("2026-10-26T00:00:00Z")))
        let world = try StoreWorld("cb-store-replace")
        defer { world.folder.remove() }
        let range = ["--from", "2026-10-25", "--to", "2026-10-27", "--as-of", "2026-11-22"]
        try world.run(["collect"], ["--prometheus-url", holed.url, "--quiet"] + range)
        let first = try await world.contents()
        XCTAssertEqual(
            first.prefix(24).reduce(0) { $0 + $1.tokens.values.reduce(0, +) }, 0,
            "the deleted day holds nothing")
        let replaced = try world.run(["collect"], ["--prometheus-url", sample.url, "--replace"] + range)
        XCTAssertTrue(replaced.stdout.contains("collected 48 hour(s)"), replaced.stdout)
        XCTAssertTrue(replaced.stdout.contains("stored figure(s) changed (+"), replaced.stdout)
        let status = try world.run(["store", "status"], ["--offline"])
        XCTAssertTrue(
            status.stdout.contains("hours:        48 stored, 2026-10-25T00:00:00Z to 2026-10-27T00:00:00Z"),
            status.stdout)
        XCTAssertFalse(status.stdout.contains("changes:      0 "), status.stdout)
        XCTAssertTrue(status.stdout.contains("(replaced "), status.stdout)

        let output = world.folder.file("after")
        let report = try ChildProcess.runBlocking(
            StoreWorld.binary,
            [
                "report", "--config", world.config, "--from", "2026-10-25", "--to", "2026-10-27", "--format", "csv",
                "--output", output.path, "--source", "store", "--prometheus-url",
                "http://127.0.0.1:\(try ClosedPort.find())",
            ], environment: [:])
        XCTAssertEqual(report.status, 0, report.stderr)
        let manifest =
            try JSONSerialization.jsonObject(with: Data(contentsOf: output.appendingPathComponent("manifest.json")))
            as? [String: Any]
        let notes = (manifest?["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
        XCTAssertTrue(notes.contains { $0.contains("were measured again after they were first collected") }, "\(notes)")
        let direct = world.folder.file("direct")
        try world.run(
            ["report"],
            [
                "--from", "2026-10-25", "--to", "2026-10-27", "--format", "csv", "--output", direct.path,
                "--source", "prometheus", "--prometheus-url", sample.url, "--quiet",
            ])
        for kind in ["usage", "chargeback", "teams"] {
            let name = "chargeback-2026-10-25_2026-10-27-\(kind).csv"
            XCTAssertEqual(
                FileManager.default.contents(atPath: output.appendingPathComponent(name).path),
                FileManager.default.contents(atPath: direct.appendingPathComponent(name).path), kind)
        }
    }
}

/// The same store tests on a PostgreSQL database (a server of the run's own, see ``PostgresServer``).
final class PostgresStoreTests: XCTestCase {
    func testADailyCollectedStoreServesOctoberByteForByteAfterRetentionDeletedIt() async throws {
        try await StoreTests.dailyCollectedStoreServesOctober(.postgres)
    }

    func testAKilledCollectResumesToTheSameStore() async throws {
        try await StoreTests.killedCollectResumes(.postgres)
    }
}
