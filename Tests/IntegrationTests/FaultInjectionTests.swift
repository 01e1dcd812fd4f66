import ChargebackCore
import Foundation
import TestSupport
import XCTest

/// The built binary against the real sample Prometheus, with faults injected by ``FaultProxy``
/// (or the server killed, or nothing listening): every failure exits as docs/exit-codes.md says, names its
/// cause on stderr, and leaves the output folder exactly as it was: the previous period's reports
/// byte-identical, no new file, no staging folder. Faults that retries cure give the same reports
/// as a clean run.
final class FaultInjectionTests: XCTestCase {
    static let binary = SampleWorld.buildFolder.appendingPathComponent("chargeback").path
    /// The report the faults hit (a single day keeps runs short) and the one written before it.
    static let period = "2026-10-15"
    static let previousPeriod = "2026-10-14"

    private var folder: URL!
    private var proxies: [FaultProxy] = []
    private var scratch: ScratchPrometheus?

    override func setUpWithError() throws {
        folder = TemporaryFolder("cb-faults").url
    }

    override func tearDown() async throws {
        for proxy in proxies { await proxy.stop() }
        scratch?.stop()
        try? FileManager.default.removeItem(at: folder)
    }

    // MARK: - Faults that retries cannot cure

    func testHTTP500OnEveryAttemptExitsOne() async throws {
        let proxy = try await proxy { _, _ in .answer(status: 500, body: "upstream exploded") }
        try await assertFailure(url: proxy.url, naming: ["answered HTTP 500 after 2 attempt(s): upstream exploded"])
        let attempts = Dictionary(grouping: proxy.taken, by: \.key).values.map(\.count)
        XCTAssertEqual(attempts.max(), 2, "one retry, as configured, and no more")
    }

    func testHTTP429OnEveryAttemptExitsOne() async throws {
        let proxy = try await proxy { _, _ in .answer(status: 429, body: "slow down", headers: [("Retry-After", "1")]) }
        try await assertFailure(url: proxy.url, naming: ["answered HTTP 429 after 2 attempt(s)"])
        for attempts in Dictionary(grouping: proxy.taken, by: \.key).values where attempts.count == 2 {
            XCTAssertGreaterThanOrEqual(
                attempts[0].arrived.duration(to: attempts[1].arrived), .milliseconds(950),
                "Retry-After: 1 is honoured")
        }
    }

    func testAStallPastTheTimeoutExitsOne() async throws {
        let proxy = try await proxy { _, _ in .stall }
        try await assertFailure(url: proxy.url, naming: ["(timed out) after 2 attempt(s)", "raise prometheus.timeout"])
    }

    func testATruncatedBodyExitsOne() async throws {
        let proxy = try await proxy { _, _ in .truncate }
        try await assertFailure(url: proxy.url, naming: ["(the answer was truncated", "after 2 attempt(s)"])
    }

    func testValidJSONOfTheWrongShapeExitsOne() async throws {
        let proxy = try await proxy { _, _ in .rewrite(Self.resultAsObject) }
        try await assertFailure(
            url: proxy.url, naming: ["not a valid API answer", "unexpected JSON shape at data.result"])
    }

    func testAPartialResponseIsRefusedByDefault() async throws {
        let proxy = try await proxy { _, _ in .rewrite(Self.markedPartial) }
        try await assertFailure(url: proxy.url, naming: ["returned a partial response", "allow_partial_response"])
    }

    func testNothingListeningExitsOne() async throws {
        let url = "http://127.0.0.1:\(try ClosedPort.find())"
        try await assertFailure(url: url, naming: ["(connection refused) after 2 attempt(s)"])
    }

    /// SIGKILL to a Prometheus of our own once it has answered a few of the run's queries.
    func testPrometheusKilledInTheMiddleOfARunExitsOne() async throws {
        let server = try ScratchPrometheus(copying: try SampleWorld.get())
        scratch = server
        let before = try await server.answeredQueries()
        // A month in 1 h chunks, one query at a time: hundreds of queries, so the kill lands mid-run.
        let config = try writeConfig(url: server.url, extra: ["chunk: 1h", "concurrency: 1"])
        let output = try previousReports()
        let state = FolderState(output)
        let run = try ChildProcess.start(
            Self.binary, arguments(config: config, period: "2026-10", output: output),
            environment: [:])
        let finished = Finished()
        let outcome = Task { await finished.wait(for: run) }
        var answered = before
        let deadline = ContinuousClock.now + .seconds(30)
        while answered < before + 3, !finished.isDone, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
            answered = try await server.answeredQueries()
        }
        XCTAssertFalse(finished.isDone, "the run must still be running when Prometheus is killed")
        server.kill()
        let result = await outcome.value
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("error: cannot reach Prometheus at \(server.url)"), result.stderr)
        XCTAssertTrue(
            ["connection refused", "closed the connection"].contains { result.stderr.contains($0) }, result.stderr)
        XCTAssertEqual(FolderState(output), state, "the folder is exactly as before")
    }

    // MARK: - Faults that retries cure

    func testHTTP500ThenSuccessIsRetriedToTheSameReport() async throws {
        let seen = SeenRequests()
        let proxy = try await proxy { request, _ in
            seen.isFirst(request) ? .answer(status: 500, body: "hiccup") : .forward
        }
        try await assertRecovered(url: proxy.url)
        let actions = proxy.actions
        XCTAssertGreaterThan(actions.filter { $0 == "forward" }.count, 10)
        XCTAssertEqual(
            actions.filter { $0 == "answer 500" }.count, actions.filter { $0 == "forward" }.count,
            "every query failed once, then got through")
    }

    func testHTTP429WithRetryAfterThenSuccessWaitsAndRecovers() async throws {
        let seen = SeenRequests()
        // Only the first wave of queries (as many as run at once), so the waits do not add up.
        let proxy = try await proxy { request, index in
            seen.isFirst(request) && index < 4
                ? .answer(status: 429, body: "slow down", headers: [("Retry-After", "1")]) : .forward
        }
        try await assertRecovered(url: proxy.url)
        let taken = proxy.taken
        let refused = taken.filter { $0.action == "answer 429" }
        // The far-edge probe's two queries come first and run together; their retries are among the
        // first four requests.
        XCTAssertGreaterThanOrEqual(refused.count, 2, "the first wave was refused")
        for refusal in refused {
            let retry = try XCTUnwrap(
                taken.first { $0.key == refusal.key && $0.action == "forward" },
                "a refused query was asked again")
            XCTAssertGreaterThanOrEqual(
                refusal.arrived.duration(to: retry.arrived), .milliseconds(950),
                "Retry-After: 1 is honoured")
        }
    }

    // MARK: - Helpers

    /// Runs the report for ``period`` against `url` into a folder holding the previous period's
    /// reports; asserts exit 1, an error naming the URL and each of `naming`, and an untouched folder.
    private func assertFailure(
        url: String, naming causes: [String], file: StaticString = #filePath,
        line: UInt = #line
    ) async throws {
        let output = try previousReports()
        let before = FolderState(output)
        XCTAssertTrue(before.names.contains("chargeback-\(Self.previousPeriod).md"), "the previous reports are there")
        let run = try await ChildProcess.run(
            Self.binary,
            arguments(
                config: try writeConfig(url: url), period: Self.period,
                output: output), environment: [:])
        XCTAssertEqual(run.status, 1, run.stderr, file: file, line: line)
        XCTAssertTrue(
            run.stderr.hasPrefix("error: ") || run.stderr.contains("\nerror: "), run.stderr, file: file, line: line)
        XCTAssertTrue(
            run.stderr.contains("Prometheus at \(url)"), "names the URL: \(run.stderr)", file: file, line: line)
        for cause in causes {
            XCTAssertTrue(run.stderr.contains(cause), "names '\(cause)': \(run.stderr)", file: file, line: line)
        }
        XCTAssertEqual(run.stdout, "", "no summary on failure", file: file, line: line)
        XCTAssertEqual(
            FolderState(output), before, "no new file, no staging leftover, previous reports byte-identical",
            file: file, line: line)
    }

    /// Runs the report for ``period`` against `url`; asserts exit 0, the previous period's reports
    /// untouched, and the same new files as a clean run's: CSV files byte-identical, the Markdown
    /// identical but for the URL and paths it names (the manifest records the run time, and the
    /// workbook's About sheet the URL and paths).
    private func assertRecovered(url: String, file: StaticString = #filePath, line: UInt = #line) async throws {
        let output = try previousReports()
        let before = FolderState(output)
        let config = try writeConfig(url: url)
        let run = try await ChildProcess.run(
            Self.binary, arguments(config: config, period: Self.period, output: output),
            environment: [:])
        XCTAssertEqual(run.status, 0, run.stderr, file: file, line: line)
        XCTAssertTrue(
            run.stderr.contains("retrying Prometheus request"), "the faults were met: \(run.stderr)",
            file: file, line: line)
        let after = FolderState(output).entries
        for (name, hash) in before.entries where name != "manifest.json" {
            XCTAssertEqual(after[name], hash, "\(name) is untouched", file: file, line: line)
        }
        let clean = try Self.cleanRun(period: Self.period)
        let expected = FolderState(clean.reports).entries
        let new = after.filter { before.entries[$0.key] == nil }
        XCTAssertEqual(Set(new.keys), Set(expected.keys).subtracting(["manifest.json"]), file: file, line: line)
        for name in new.keys where name.hasSuffix(".csv") {
            XCTAssertEqual(new[name], expected[name], "\(name) as a clean run writes it", file: file, line: line)
        }
        let markdown = "chargeback-\(Self.period).md"
        func text(_ folder: URL, _ replacements: [String]) throws -> String {
            var text = try String(contentsOf: folder.appendingPathComponent(markdown), encoding: .utf8)
            for (index, value) in replacements.enumerated() {
                text = text.replacingOccurrences(of: value, with: "<\(index)>")
            }
            return text
        }
        XCTAssertEqual(
            try text(output, [output.path, config, url]),
            try text(clean.reports, [clean.reports.path, clean.config, clean.url]),
            "\(markdown) as a clean run writes it", file: file, line: line)
    }

    private func proxy(_ plan: @escaping FaultProxy.Plan) async throws -> FaultProxy {
        let proxy = try await FaultProxy(upstream: try SampleWorld.get().url, plan: plan)
        proxies.append(proxy)
        return proxy
    }

    private func arguments(config: String, period: String, output: URL) -> [String] {
        ["report", "--config", config, "--period", period, "--output", output.path]
    }

    /// The sample config pointed at `url`, with a 2 s timeout (ample for the local server, short
    /// for the stall) and one retry, plus `extra` settings.
    private func writeConfig(url: String, extra: [String] = []) throws -> String {
        try Self.writeConfig(url: url, extra: extra, into: folder)
    }

    static func writeConfig(url: String, extra: [String] = [], into folder: URL) throws -> String {
        let samples = PackagePaths.root.appendingPathComponent("Samples")
        var text = try String(contentsOf: samples.appendingPathComponent("chargeback.yaml"), encoding: .utf8)
        for (old, new) in [
            ("url: http://127.0.0.1:9090", "url: \(url)"),
            ("timeout: 60s", (["timeout: 2s"] + extra).joined(separator: "\n  ")),
            ("retries: 4", "retries: 1"),
            ("pricing: pricing.yaml", "pricing: \(samples.appendingPathComponent("pricing.yaml").path)"),
            ("teams: teams.yaml", "teams: \(samples.appendingPathComponent("teams.yaml").path)"),
        ] {
            guard text.contains(old) else { throw XCTSkip("Samples/chargeback.yaml no longer says '\(old)'") }
            text = text.replacingOccurrences(of: old, with: new)
        }
        // Its own folder, so the file keeps its usual name: the report names rules by file and line.
        let configFolder = folder.appendingPathComponent("config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: configFolder, withIntermediateDirectories: true)
        let path = configFolder.appendingPathComponent("chargeback.yaml")
        try Data(text.utf8).write(to: path)
        return path.path
    }

    /// A fresh copy of a folder holding the previous period's reports (written once, by a clean run).
    private func previousReports() throws -> URL {
        let copy = folder.appendingPathComponent("out-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: try Self.cleanRun(period: Self.previousPeriod).reports, to: copy)
        return copy
    }

    /// A run straight against the sample Prometheus: its reports, config and URL.
    private struct CleanRun {
        let reports: URL
        let config: String
        let url: String
    }

    private static let cacheFolder = FileManager.default.temporaryDirectory
        .appendingPathComponent("cb-faults-clean-\(getpid())")
    private static let cacheLock = NSLock()
    nonisolated(unsafe) private static var cache: [String: CleanRun] = [:]

    /// The clean run of `period`, made once per test process.
    private static func cleanRun(period: String) throws -> CleanRun {
        try cacheLock.withLock {
            if let run = cache[period] { return run }
            let world = try SampleWorld.get()
            let folder = cacheFolder.appendingPathComponent(period)
            try? FileManager.default.removeItem(at: folder)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            if cache.isEmpty { atexit { try? FileManager.default.removeItem(at: FaultInjectionTests.cacheFolder) } }
            let config = try writeConfig(url: world.url, into: folder)
            let reports = folder.appendingPathComponent("reports")
            let run = try ChildProcess.runBlocking(
                binary,
                [
                    "report", "--config", config, "--period", period,
                    "--output", reports.path,
                ], environment: [:])
            guard run.status == 0 else {
                throw NSError(
                    domain: "FaultInjectionTests", code: 1,
                    userInfo: [
                        NSLocalizedDescriptionKey: "the clean run for \(period) failed: \(run.stderr)"
                    ])
            }
            try? FileManager.default.removeItem(at: reports.appendingPathComponent(OutputLock.fileName))
            cache[period] = CleanRun(reports: reports, config: config, url: world.url)
            return cache[period]!
        }
    }

    // MARK: - Body rewrites

    /// The answer with `data.result` turned from an array into an object: valid JSON, wrong shape.
    @Sendable static func resultAsObject(_ body: String) -> String {
        guard var object = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any],
            var data = object["data"] as? [String: Any]
        else { return body }
        data["result"] = ["series": data["result"] ?? []]
        object["data"] = data
        return (try? JSONSerialization.data(withJSONObject: object)).map { String(decoding: $0, as: UTF8.self) } ?? body
    }

    /// The answer marked as Thanos marks an answer that misses a store.
    @Sendable static func markedPartial(_ body: String) -> String {
        body.hasPrefix("{") ? #"{"partialResponse":true,"# + body.dropFirst() : body
    }
}

/// Waits for a started child off the cooperative threads and says whether it has exited.
private final class Finished: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false

    var isDone: Bool { lock.withLock { done } }

    func wait(for run: ChildProcess.Running) async -> ChildProcess.Outcome {
        let outcome: ChildProcess.Outcome = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: run.wait()) }
        }
        lock.withLock { done = true }
        return outcome
    }
}
