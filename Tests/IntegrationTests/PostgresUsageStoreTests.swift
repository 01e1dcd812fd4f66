import ChargebackCore
import ChargebackStores
import Foundation
import TestSupport
import XCTest

/// The PostgreSQL store against a real server (``PostgresServer``): what the SQLite store's unit
/// tests show, and the lock that the server frees when its holder's connection ends.
final class PostgresUsageStoreTests: XCTestCase {
    static let hour = Hour(startSeconds: 1_790_000_000)
    static let sonnet = UsageKey(
        gateway: "gw1", model: "claude-sonnet-4", tokenType: "input", system: "anthropic", extras: ["team-a", ""])
    static let gpt = UsageKey(
        gateway: "gw2", model: "gpt-4o", tokenType: "output", system: "openai", extras: ["", "x,\"y\"'; DROP"])

    private func database() throws -> StoreSettings {
        let url = try PostgresServer.shared().createDatabase(PostgresServer.databaseName("cb_unit"))
        return StoreSettings(location: .postgres(url: URL(string: url)!, password: nil, tls: nil))
    }

    private func run(_ store: any UsageStore, dimensions: String = "labels-a", replace: Bool = false) async throws
        -> Int64
    {
        try await store.beginRun(
            CollectRunInfo(
                startedAt: Date(), asOf: Date(), hours: Self.hour..<Self.hour.next, replace: replace,
                backend: "http://prom", command: ["chargeback", "collect"], dimensions: dimensions))
    }

    func testAnHourReadsBackAsWrittenAndRewritesAreRecorded() async throws {
        let settings = try database()
        let store = try await StoreOpener.open(settings)
        let first = try await run(store)
        var hour = StoredHour(
            start: Self.hour, tokens: [Self.sonnet: 1_234_567_890_123, Self.gpt: 1], gatewayCostNanos: ["gw1": 42],
            samples: 240, missedSamples: 2, sampled: true,
            events: [
                StoredEvent(
                    kind: .gap, series: "{a=\"1\"}", target: "gw1 pod", fromMillis: 5, toMillis: 9, apportioned: true),
                StoredEvent(kind: .reset, series: "{a=\"2\"}", fromMillis: 7, toMillis: 7),
            ])
        hour.requests = [Self.sonnet: 7]
        let state = SeriesState(identity: "{a=\"1\"}", millis: Self.hour.endMillis - 12_345, value: 98_765)
        let none = try await store.write(
            hour, series: [StoredSeries(identity: "{a=\"1\"}", firstMillis: 3, lastMillis: 11)], states: [state],
            run: first, asOf: Self.hour.next.endDate, reason: .revised)
        XCTAssertEqual(none, [])
        let read = try await store.read(Self.hour..<Self.hour.next)
        XCTAssertEqual(read.first?.info?.run, first)
        XCTAssertEqual(read.first?.info?.isFinal, false)
        var readBack = try XCTUnwrap(read.first)
        readBack.info = nil
        XCTAssertEqual(read.count, 1)
        XCTAssertEqual(readBack, hour)
        let series = try await store.series(overlapping: 0, 4)
        XCTAssertEqual(series.map(\.identity), ["{a=\"1\"}"])
        let last = try await store.lastHourEnd()
        XCTAssertEqual(last, Self.hour.next)
        let states = try await store.states(atEndOf: Self.hour)
        XCTAssertEqual(states, [state], "the counter state at the hour's end")

        let second = try await run(store, replace: true)
        let changes = try await store.write(
            StoredHour(start: Self.hour, tokens: [Self.sonnet: 130]), series: [], states: [], run: second,
            asOf: Date(), reason: .replaced)
        XCTAssertEqual(
            changes.map { "\($0.key.model) \($0.oldTokens)->\($0.newTokens) \($0.reason)" },
            ["claude-sonnet-4 1234567890123->130 replaced", "gpt-4o 1->0 replaced"])
        let rewritten = try await store.read(Self.hour..<Self.hour.next)
        XCTAssertEqual(rewritten.count, 1)
        XCTAssertNil(rewritten.first?.requests, "written without requests: not measured, not zero")
        let recorded = try await store.replacements(in: Self.hour..<Self.hour.next)
        XCTAssertEqual(recorded.map(\.key), changes.map(\.key))
        XCTAssertEqual(recorded.map(\.run), [second, second])
        let status = try await store.status()
        XCTAssertEqual(status.hours, 1)
        XCTAssertEqual(status.runs, 2)
        XCTAssertEqual(status.replacements, 2)
        XCTAssertEqual(status.keys, 1)
        XCTAssertEqual(status.schemaVersion, "v3-requests")
        XCTAssertGreaterThan(status.bytes, 0)
        await store.close()

        // Reopening runs no migration twice and keeps the data; other labels are refused.
        let reopened = try await StoreOpener.open(settings)
        let again = try await reopened.read(Hour(startSeconds: 0)..<Self.hour.advanced(by: 1000))
        XCTAssertEqual(again.first?.tokens, [Self.sonnet: 130])
        do {
            _ = try await run(reopened, dimensions: "labels-b")
            XCTFail("a config reading other labels was accepted")
        } catch let error as StoreError {
            XCTAssertTrue(error.localizedDescription.contains("labels-a"), error.localizedDescription)
            XCTAssertEqual(error.exitCode, ExitStatus.inputError)
        }
        await reopened.close()
    }

    /// One writer at a time, across connections; the lock ends with its holder's connection.
    func testOneWriterAtATimeUntilTheHolderIsGone() async throws {
        let settings = try database()
        let holder = try await StoreOpener.open(settings)
        let other = try await StoreOpener.open(settings)
        try await holder.acquireWriter()
        try await holder.acquireWriter()  // again by the holder: fine
        do {
            try await other.acquireWriter()
            XCTFail("a second writer got the lock")
        } catch let error as StoreError {
            guard case .lockedBySession = error else { return XCTFail("\(error)") }
            XCTAssertTrue(error.localizedDescription.contains("connection ends"), error.localizedDescription)
            XCTAssertTrue(error.localizedDescription.contains("pid \(getpid())"), error.localizedDescription)
            XCTAssertEqual(error.exitCode, ExitStatus.failure)
        }
        // The holder's connection ends without releasing (as when its process is killed).
        await holder.close()
        var acquired = false
        for _ in 0..<50 where !acquired {
            do {
                try await other.acquireWriter()
                acquired = true
            } catch { try await Task.sleep(nanoseconds: 100_000_000) }
        }
        XCTAssertTrue(acquired, "the lock of a closed connection was not freed")
        try await other.releaseWriter()
        let third = try await StoreOpener.open(settings)
        try await third.acquireWriter()
        await third.close()
        await other.close()
    }

    /// The password comes from a file or an environment variable; a wrong one is a run failure
    /// whose message never holds it, one that cannot be read is an input error (64).
    func testThePasswordComesFromAFileOrTheEnvironment() async throws {
        let server = try PostgresServer.shared()
        let url = try XCTUnwrap(URL(string: try server.createPasswordDatabase(PostgresServer.databaseName("cb_pw"))))
        let folder = TemporaryFolder("cb-pg-password")
        defer { folder.remove() }
        let file = try folder.write("password", PostgresServer.password + "\n")
        let store = try await StoreOpener.open(
            StoreSettings(location: .postgres(url: url, password: .file(file), tls: nil)))
        let status = try await store.status()
        XCTAssertEqual(status.schemaVersion, "v3-requests")
        await store.close()
        setenv("CB_TEST_PG_PASSWORD", PostgresServer.password, 1)
        let viaEnvironment = try await StoreOpener.open(
            StoreSettings(location: .postgres(url: url, password: .environment("CB_TEST_PG_PASSWORD"), tls: nil)))
        await viaEnvironment.close()

        let wrong = try folder.write("wrong", "not-\(PostgresServer.password)")
        for source in [SecretSource.file(wrong), nil] {
            do {
                _ = try await StoreOpener.open(StoreSettings(location: .postgres(url: url, password: source, tls: nil)))
                XCTFail("logged in with \(String(describing: source))")
            } catch let error as StoreError {
                XCTAssertEqual(error.exitCode, ExitStatus.failure)
                if source != nil {
                    XCTAssertTrue(
                        error.localizedDescription.contains("password authentication failed"),
                        error.localizedDescription)
                }
                XCTAssertFalse(error.localizedDescription.contains(PostgresServer.password), "the password leaked")
            }
        }
        do {
            _ = try await StoreOpener.open(
                StoreSettings(location: .postgres(url: url, password: .environment("CB_TEST_PG_UNSET"), tls: nil)))
            XCTFail("opened with an unset password variable")
        } catch let error as any ExitCodeError {
            XCTAssertEqual(error.exitCode, ExitStatus.inputError)
            let message = (error as? LocalizedError)?.errorDescription ?? ""
            XCTAssertTrue(message.contains("CB_TEST_PG_UNSET"), message)
        }
    }

    /// `tls:` with the server's CA connects over TLS (the role may log in over TLS only); without
    /// TLS, or against the system's trust roots, the connection is refused.
    func testTLSAsForPrometheus() async throws {
        let server = try PostgresServer.shared()
        let url = try XCTUnwrap(
            URL(string: try server.createDatabase(PostgresServer.databaseName("cb_tls"), owner: "chargeback_tls")))
        let store = try await StoreOpener.open(
            StoreSettings(location: .postgres(url: url, password: nil, tls: TLSSettings(caFile: server.caFile))))
        let status = try await store.status()
        XCTAssertEqual(status.hours, 0)
        await store.close()
        let required = try XCTUnwrap(URL(string: url.absoluteString + "?sslmode=require"))
        for (settings, what) in [
            (StoreSettings(location: .postgres(url: url, password: nil, tls: nil)), "plain TCP"),
            (StoreSettings(location: .postgres(url: required, password: nil, tls: nil)), "the system's trust roots"),
        ] {
            do {
                _ = try await StoreOpener.open(settings)
                XCTFail("connected with \(what)")
            } catch let error as StoreError {
                XCTAssertEqual(error.exitCode, ExitStatus.failure, "\(what): \(error.localizedDescription)")
            }
        }
    }

    func testAnUnreachableServerIsARunFailureNamingTheURL() async throws {
        let port = try ClosedPort.find()
        let url = URL(string: "postgres://chargeback@127.0.0.1:\(port)/usage")!
        do {
            _ = try await StoreOpener.open(StoreSettings(location: .postgres(url: url, password: nil, tls: nil)))
            XCTFail("connected to a closed port")
        } catch let error as StoreError {
            XCTAssertTrue(error.localizedDescription.contains("127.0.0.1:\(port)/usage"), error.localizedDescription)
            XCTAssertEqual(error.exitCode, ExitStatus.failure)
        }
    }
}
