import Foundation
import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender
@testable import ChargebackStoreSQLite

final class SQLiteUsageStoreTests: XCTestCase {
    private let temporary = TemporaryFolder("cb-store-unit")
    override func tearDown() { temporary.remove() }

    private func store() throws -> SQLiteUsageStore {
        try SQLiteUsageStore(path: temporary.file("db/usage.sqlite").path)
    }

    static let hour = Hour(startSeconds: 1_790_000_000)
    static let sonnet = UsageKey(
        gateway: "gw1", model: "claude-sonnet-4", tokenType: "input", system: "anthropic",
        extras: ["team-a", ""])
    static let gpt = UsageKey(
        gateway: "gw2", model: "gpt-4o", tokenType: "output", system: "openai", extras: ["", "x,\"y\""])

    private func run(_ store: SQLiteUsageStore, replace: Bool = false) throws -> Int64 {
        try store.beginRun(
            CollectRunInfo(
                startedAt: Date(), asOf: Date(), hours: Self.hour..<Self.hour.next,
                replace: replace, backend: "http://prom", command: ["chargeback", "collect"],
                dimensions: "labels-a"))
    }

    func testAnHourReadsBackAsWritten() throws {
        let store = try store()
        let run = try run(store)
        let hour = StoredHour(
            start: Self.hour, tokens: [Self.sonnet: 1_234_567_890_123, Self.gpt: 1],
            gatewayCostNanos: ["gw1": 42], samples: 240, missedSamples: 2, sampled: true,
            events: [
                StoredEvent(
                    kind: .gap, series: "{a=\"1\"}", target: "gw1 pod", fromMillis: 5,
                    toMillis: 9, apportioned: true),
                StoredEvent(kind: .reset, series: "{a=\"2\"}", fromMillis: 7, toMillis: 7),
            ])
        let state = SeriesState(identity: "{a=\"1\"}", millis: Self.hour.endMillis - 12_345, value: 98_765)
        let changes = try store.write(
            hour, series: [StoredSeries(identity: "{a=\"1\"}", firstMillis: 3, lastMillis: 11)],
            states: [state], run: run, asOf: Self.hour.next.endDate,
            reason: .revised)
        XCTAssertEqual(changes, [], "a new hour replaces nothing")
        var read = try XCTUnwrap(try store.read(Self.hour..<Self.hour.next).first)
        XCTAssertEqual(read.info?.run, run)
        XCTAssertEqual(read.info?.isFinal, false, "measured one hour after its end")
        read.info = nil
        XCTAssertEqual(read, hour)
        XCTAssertEqual(try store.read(Self.hour.next..<Self.hour.advanced(by: 2)), [])
        XCTAssertEqual(try store.series(overlapping: 0, 4).map(\.identity), ["{a=\"1\"}"])
        XCTAssertEqual(try store.series(overlapping: 12, 20), [])
        XCTAssertEqual(try store.lastHourEnd(), Self.hour.next)
        XCTAssertEqual(try store.dimensions(), "labels-a")
        XCTAssertEqual(try store.states(atEndOf: Self.hour), [state], "the counter state at the hour's end")
        XCTAssertEqual(try store.states(atEndOf: Self.hour.next), [])
    }

    func testRewritingAnHourRecordsEachChangedKey() throws {
        let store = try store()
        let first = try run(store)
        try store.write(
            StoredHour(start: Self.hour, tokens: [Self.sonnet: 100, Self.gpt: 5]), series: [], states: [],
            run: first, asOf: Date(), reason: .revised)
        let second = try run(store, replace: true)
        let changes = try store.write(
            StoredHour(start: Self.hour, tokens: [Self.sonnet: 130]), series: [], states: [],
            run: second, asOf: Date(), reason: .replaced)
        XCTAssertEqual(
            changes.map { "\($0.key.model) \($0.oldTokens)->\($0.newTokens) \($0.reason)" },
            ["claude-sonnet-4 100->130 replaced", "gpt-4o 5->0 replaced"])
        XCTAssertEqual(
            try store.replacements(in: Self.hour..<Self.hour.next),
            changes.map { change in
                Replacement(
                    hour: change.hour, key: change.key, oldTokens: change.oldTokens, newTokens: change.newTokens,
                    at: Date(millis: change.at.millis), reason: change.reason, run: second)
            })
        XCTAssertEqual(try store.read(Self.hour..<Self.hour.next).first?.tokens, [Self.sonnet: 130])
        let status = try store.status()
        XCTAssertEqual(status.hours, 1)
        XCTAssertEqual(status.runs, 2)
        XCTAssertEqual(status.replacements, 2)
        XCTAssertEqual(status.keys, 1)
    }

    func testTheStoreRefusesAConfigReadingOtherLabels() throws {
        let store = try store()
        _ = try run(store)
        XCTAssertThrowsError(
            try store.beginRun(
                CollectRunInfo(
                    startedAt: Date(), asOf: Date(), hours: Hour(startSeconds: 0)..<Hour(startSeconds: 3600),
                    replace: false, backend: "", command: [],
                    dimensions: "labels-b"))
        ) { error in
            XCTAssertTrue("\(error.localizedDescription)".contains("labels-a"), "\(error)")
            XCTAssertEqual((error as? StoreError)?.exitCode, ExitStatus.inputError)
        }
    }

    func testOneWriterAtATime() throws {
        let store = try store()
        // pid 1 (init) is alive on this host: its lock holds.
        try store.acquireWriter(host: ProcessInfo.processInfo.hostName, pid: 1)
        XCTAssertThrowsError(try store.acquireWriter()) { error in
            guard case .locked = error as? StoreError else { return XCTFail("\(error)") }
            XCTAssertEqual((error as? StoreError)?.exitCode, ExitStatus.failure)
        }
        // A second connection to the same file sees the same lock.
        XCTAssertThrowsError(try self.store().acquireWriter())
    }

    func testALockOfAnotherHostHoldsUntilItGoesStale() throws {
        let recent = try SQLiteUsageStore(path: temporary.file("recent.sqlite").path)
        try recent.acquireWriter(host: "elsewhere", pid: 1, now: Date())
        XCTAssertThrowsError(try recent.acquireWriter())
        let stale = try SQLiteUsageStore(path: temporary.file("stale.sqlite").path)
        try stale.acquireWriter(
            host: "elsewhere", pid: 1,
            now: Date().addingTimeInterval(-Double(StoreLockRules.staleMinutes * 60 + 1)))
        XCTAssertNoThrow(try stale.acquireWriter(), "a holder silent for the stale time is taken over")
        // Now this process holds it: taking it again is fine, and releasing frees it for others.
        XCTAssertNoThrow(try stale.acquireWriter())
        try stale.releaseWriter()
        XCTAssertNoThrow(try stale.acquireWriter(host: "elsewhere", pid: 1))
    }

    func testALockOfADeadProcessIsTakenOver() throws {
        let store = try store()
        var dead: Int64 = 4_000_000
        while kill(pid_t(dead), 0) == 0 { dead += 1 }
        try store.acquireWriter(host: ProcessInfo.processInfo.hostName, pid: dead)
        XCTAssertNoThrow(try store.acquireWriter())
    }

    func testMigrationsRunOnceAndReopenKeepsData() throws {
        let first = try store()
        try first.write(
            StoredHour(start: Self.hour, tokens: [Self.gpt: 9]), series: [], states: [], run: try run(first),
            asOf: Date(),
            reason: .revised)
        let reopened = try store()
        XCTAssertEqual(
            try reopened.read(Hour(startSeconds: 0)..<Self.hour.advanced(by: 1000)).first?.tokens, [Self.gpt: 9])
        XCTAssertEqual(try reopened.status().schemaVersion, "v3-requests")
    }

    /// Requests read back as written: counted, measured with none, and not measured.
    func testRequestsReadBackAndNotMeasuredStaysNotMeasured() throws {
        let store = try store()
        let run = try run(store)
        let hours = [
            StoredHour(start: Self.hour, tokens: [Self.sonnet: 9]),
            StoredHour(start: Self.hour.next, tokens: [Self.sonnet: 9]),
            StoredHour(start: Self.hour.advanced(by: 2), tokens: [Self.sonnet: 9]),
        ]
        var written = hours
        written[0].requests = [Self.sonnet: 3]
        written[1].requests = [:]
        for hour in written {
            try store.write(hour, series: [], states: [], run: run, asOf: Date(), reason: .revised)
        }
        let read = try store.read(Self.hour..<Self.hour.advanced(by: 3))
        XCTAssertEqual(read.map(\.requests), [[Self.sonnet: 3], [:], nil])
    }

    /// A store written before it kept requests (schema v2) opens, migrates, keeps its tokens, and
    /// its hours say requests were not measured rather than none.
    func testAStoreWithoutRequestCountsOpensAndSaysNotMeasured() throws {
        let first = try store()
        try first.write(
            StoredHour(start: Self.hour, tokens: [Self.gpt: 9]), series: [], states: [], run: try run(first),
            asOf: Date(), reason: .revised)
        // Back to schema v2: what an older chargeback wrote.
        try first.queue.write { db in
            try db.execute(
                sql: """
                    DROP TABLE requests;
                    ALTER TABLE hours DROP COLUMN requests_measured;
                    DELETE FROM grdb_migrations WHERE identifier = 'v3-requests';
                    """)
        }
        let reopened = try store()
        XCTAssertEqual(try reopened.status().schemaVersion, "v3-requests")
        let hour = try XCTUnwrap(try reopened.read(Self.hour..<Self.hour.next).first)
        XCTAssertEqual(hour.tokens, [Self.gpt: 9])
        XCTAssertNil(hour.requests, "not measured, not zero")
        let measured = UsageSources.assemble(
            [hour], series: [],
            buckets: Buckets(
                period: Period(
                    label: "h", start: Self.hour.startDate, end: Self.hour.endDate,
                    timeZone: TimeZone(identifier: "UTC")!)),
            now: Self.hour.next.endDate, gapFactor: 1.5, queries: [], diagnostics: [])
        XCTAssertNil(measured.requests)
    }

    func testBatchesAreContiguousAndBounded() {
        let zero = Hour(startSeconds: 0)
        let hours = (0..<200).map { zero.advanced(by: $0) } + [zero.advanced(by: 300)]
        let batches = Collector.batches(hours)
        XCTAssertEqual(batches.map(\.count), [168, 32, 1])
        XCTAssertEqual(batches.map(\.lowerBound), [zero, zero.advanced(by: 168), zero.advanced(by: 300)])
    }

    func testHoursRoundToWholeUTCHours() {
        let date = Date(timeIntervalSince1970: 7200 + 59.5)
        XCTAssertEqual(Hour(containing: date).start, 7200)
        XCTAssertEqual(Hour.starting(atOrAfter: date).start, 10800)
        XCTAssertEqual(Hour.starting(atOrAfter: Date(timeIntervalSince1970: 7200)).start, 7200)
        XCTAssertEqual(Hour(containingMillis: -1).start, -3600, "before 1970 too, rounded down")
        XCTAssertEqual(Hour(startSeconds: 7200).distance(to: Hour(startSeconds: 18000)), 3)
        XCTAssertEqual(Array(Hour(startSeconds: 0)..<Hour(startSeconds: 7200)).map(\.start), [0, 3600])
    }
}
