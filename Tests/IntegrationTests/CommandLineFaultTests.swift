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

/// The built `chargeback` binary against a misbehaving fake Prometheus: every fault exits 1 with a
/// message naming the URL, nothing is written, and no secret shows anywhere.
final class CommandLineFaultTests: XCTestCase {
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("chargeback").path
    static let token = "cli-secret-token-3e9f"

    private var folder: URL!
    private var servers: [FakePrometheus] = []

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw XCTSkip("the chargeback binary is not built at \(Self.binary)")
        }
        folder = TemporaryFolder("cb-cli-fault").url
    }

    override func tearDown() async throws {
        for server in servers { await server.stop() }
        try? FileManager.default.removeItem(at: folder)
    }

    private func serve(_ script: @escaping FakePrometheus.Script) async throws -> FakePrometheus {
        let server = try await FakePrometheus(script: script)
        servers.append(server)
        return server
    }

    /// Writes a config for `url` (tenant header, bearer token from the environment, short timeout).
    private func config(url: String, extra: String = "") throws -> String {
        let samples = PackagePaths.root.appendingPathComponent("Samples")
        let text = """
            prometheus:
              url: \(url)
              headers: { X-Scope-OrgID: tenant-a }
              bearer_token_env: CB_TEST_TOKEN
              timeout: 1s
              retries: 1
              plan: raw  # the fake answers raw-sample queries only
            \(extra)
            metrics:
              tokens: agentgateway_gen_ai_client_token_usage_sum
              cost: agentgateway_gen_ai_client_cost_usd_total
            pricing: \(samples.appendingPathComponent("pricing.yaml").path)
            teams: \(samples.appendingPathComponent("teams.yaml").path)
            timezone: UTC
            """
        let path = folder.appendingPathComponent("chargeback-\(UUID().uuidString).yaml").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// `chargeback report` for 2026-10-01 into a fresh folder, as cron runs it.
    private func report(config: String, _ extra: [String] = []) async throws -> (ChildProcess.Outcome, URL) {
        let output = folder.appendingPathComponent("out-\(UUID().uuidString)")
        let outcome = try await ChildProcess.run(
            Self.binary,
            [
                "report", "--config", config, "--period", "2026-10-01",
                "--output", output.path,
            ] + extra,
            environment: [
                "PATH": "/usr/bin:/bin", "HOME": "/nonexistent",
                "CB_TEST_TOKEN": Self.token,
            ])
        return (outcome, output)
    }

    /// Files in the output folder besides the run lock (which stays, empty of reports, by design).
    private func files(in folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0 != OutputLock.fileName }
            .sorted()
    }

    func testEveryFaultExitsOneNamingTheURLWithoutSecrets() async throws {
        let truncated = String(FakeAnswers.matrix(FakeAnswers.tokenSeries).prefix(70))
        let faults: [(name: String, script: FakePrometheus.Script?, message: String)] = [
            ("connection refused", nil, "(connection refused) after 2 attempt(s)"),
            (
                "HTTP 500", { _, _ in .json("internal error", status: 500) },
                "answered HTTP 500 after 2 attempt(s): internal error"
            ),
            (
                "HTTP 429", { _, _ in .json("slow down", status: 429, headers: [("Retry-After", "0")]) },
                "answered HTTP 429 after 2 attempt(s)"
            ),
            (
                "slow",
                { _, _ in
                    var reply = FakePrometheus.Reply.json(FakeAnswers.empty)
                    reply.delay = .seconds(4)
                    return reply
                }, "(timed out) after 2 attempt(s)"
            ),
            (
                "truncated JSON", { _, _ in .json(truncated) },
                "is not a valid API answer: the JSON is truncated or malformed"
            ),
            (
                "wrong shape", { _, _ in .json(#"{"status":"success","data":{"resultType":"matrix","result":{}}}"#) },
                "is not a valid API answer: unexpected JSON shape at data.result: expected an array"
            ),
            (
                "status error",
                { _, _ in .json(FakeAnswers.error(type: "bad_data", message: "parse error"), status: 400) },
                "rejected the query (bad_data: parse error); query: "
            ),
            (
                "partial response", { _, _ in .json(FakeAnswers.matrix([], extra: #","partialResponse":true"#)) },
                "returned a partial response"
            ),
            (
                "401 echoing the token",
                { request, _ in .json("denied: \(request.header("Authorization") ?? "")", status: 401) },
                "answered HTTP 401 after 1 attempt(s): denied: Bearer <redacted>; check the credentials"
            ),
        ]
        for fault in faults {
            let base: String
            if let script = fault.script {
                base = try await serve(script).url
            } else {
                base = "http://127.0.0.1:\(try ClosedPort.find())"
            }
            let url = base + "/prometheus"
            let (run, output) = try await report(config: try config(url: url), ["--verbose"])
            XCTAssertEqual(run.status, 1, "\(fault.name): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains("error: "), "\(fault.name): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains("Prometheus at \(url) "), "\(fault.name) names the URL: \(run.stderr)")
            XCTAssertTrue(run.stderr.contains(fault.message), "\(fault.name): \(run.stderr)")
            XCTAssertFalse((run.stdout + run.stderr).contains(Self.token), "\(fault.name) leaks the token")
            XCTAssertEqual(files(in: output), [], "\(fault.name): nothing is written")
        }
    }

    /// A fake that answers the raw-sample queries from ``FakeAnswers/tokenSeries`` (only the samples
    /// in each query's window), everything else with an empty matrix, and one warning.
    private func healthyServer(extra: String = "") async throws -> FakePrometheus {
        try await serve { request, _ in
            let query = request.form["query"] ?? ""
            // No series is listed after the lookback without a sample in it: the probe stops there.
            if request.path.hasSuffix("/series") { return .json(#"{"status":"success","data":[]}"#) }
            if query.hasPrefix("sum by") {
                return .json(FakeAnswers.matrix([], extra: #","warnings":["store eu-1 is slow"]"# + extra))
            }
            guard query.hasPrefix("agentgateway_gen_ai_client_token_usage_sum["),
                let time = request.form["time"].flatMap(Double.init),
                let range = query.split(separator: "[").last.flatMap({ Double($0.dropLast(3)) })
            else {
                return .json(FakeAnswers.matrix([], extra: extra))
            }
            let series = FakeAnswers.tokenSeries.map { series in
                FakeAnswers.Series(
                    labels: series.labels,
                    samples: series.samples.filter { $0.0 > time - range / 1000 && $0.0 <= time })
            }.filter { !$0.samples.isEmpty }
            return .json(FakeAnswers.matrix(series, extra: extra))
        }
    }

    /// A backend that answers but holds no series of the counter (a wrong port reaching another
    /// Prometheus): exit 1 saying what was asked of which backend, not a $0 chargeback; the empty
    /// report only on purpose, with --allow-empty. `validate --online` fails the same way.
    func testAnEmptyBackendFailsUnlessAnEmptyReportIsAskedFor() async throws {
        let server = try await serve { request, _ in
            .json(request.path.hasSuffix("/series") ? #"{"status":"success","data":[]}"# : FakeAnswers.matrix([]))
        }
        let config = try config(url: server.url)
        let (run, output) = try await report(config: config)
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(
            run.stderr.contains(
                "Prometheus at \(server.url) has no series of agentgateway_gen_ai_client_token_usage_sum"),
            run.stderr)
        XCTAssertTrue(run.stderr.contains("Check metrics.tokens") && run.stderr.contains("--allow-empty"), run.stderr)
        XCTAssertEqual(files(in: output), [], "nothing is written")

        let (allowed, allowedOutput) = try await report(config: config, ["--allow-empty"])
        XCTAssertEqual(allowed.status, 0, allowed.stderr)
        XCTAssertTrue(files(in: allowedOutput).contains("chargeback-2026-10-01.md"))

        let validate = try await ChildProcess.run(
            Self.binary, ["validate", "--config", config, "--online"],
            environment: ["PATH": "/usr/bin:/bin", "CB_TEST_TOKEN": Self.token])
        XCTAssertEqual(validate.status, 1, validate.stderr)
        XCTAssertTrue(
            validate.stderr.contains("has no series of agentgateway_gen_ai_client_token_usage_sum"), validate.stderr)
    }

    func testVerboseSaysWhatWasFetchedAndEveryRequestCarriesTenantAndToken() async throws {
        let server = try await healthyServer()
        let (run, output) = try await report(
            config: try config(url: server.url + "/prometheus"), ["--verbose", "--no-compare"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let requests = server.requests
        // One period measured (--no-compare: no previous day). For tokens and cost: the far-edge probe (the series in the lookback and in the lookahead,
        // the index before and after the read range, and inside it only where its answer can matter) and the day in 6 h chunks, 26 h before and after (5 chunks
        // each); plus the dashboard figure and, as no configured cache rule is a catch-all, the
        // index of agentgateway_build_info for the versions' cache convention; and the index of the
        // token histogram's native series, of agentgateway's catalog lookups and of the request
        // counter's classic and native `input` series (none there).
        // The cost counter gets only its probe: no series of it in the lookback nor in the index from
        // the period start on, so no chunk is asked for (issue 31: 44 requests before, 30 then; 32
        // with the request counter's two lookups; 31 since the probe skips the index lookups whose
        // answer cannot matter). One more looks after the period for gateways it never saw (issue 29:
        // monitoring added late).
        let perMetric: Int = 6 + 5 + 4 + 5 - 2
        XCTAssertEqual(requests.count, perMetric + 6 + 4 + 2 + 1)
        XCTAssertFalse(requests.contains { ($0.form["query"] ?? "").hasPrefix("agentgateway_gen_ai_client_cost_usd") })
        XCTAssertEqual(requests.filter { $0.path == "/prometheus/api/v1/series" }.count, 11)
        for request in requests {
            XCTAssertTrue(
                ["/prometheus/api/v1/query", "/prometheus/api/v1/series"].contains(request.path), request.path)
            XCTAssertEqual(request.header("X-Scope-OrgID"), "tenant-a")
            XCTAssertEqual(request.header("Authorization"), "Bearer \(Self.token)")
        }
        let lines = run.stderr.split(separator: "\n").map(String.init)
        let perQuery = lines.filter { $0.hasPrefix("debug: fetched ") }
        XCTAssertEqual(perQuery.count, requests.count, "one line per query")
        XCTAssertTrue(
            perQuery.allSatisfy { $0.contains(" points=") && $0.contains(" bytes=") && $0.contains(" query=") })
        let summary = try XCTUnwrap(lines.first { $0.hasPrefix("info: fetched ") }, run.stderr)
        XCTAssertTrue(summary.contains(" queries=31 "), summary)
        XCTAssertTrue(summary.contains(" requests=31 "), summary)
        XCTAssertTrue(summary.contains(" series=2 "), summary)
        XCTAssertTrue(summary.contains(" points=5 "), summary)
        XCTAssertTrue(summary.contains("bytes=\(server.bytesSent) "), "\(summary) vs \(server.bytesSent) sent")
        XCTAssertFalse((run.stdout + run.stderr).contains(Self.token))

        // 2026-10-01: input 150 → 175 after 100 the evening before; output 10 → 12.
        let usage = try String(
            contentsOf: output.appendingPathComponent("chargeback-2026-10-01-usage.csv"), encoding: .utf8)
        XCTAssertTrue(usage.contains(",kgateway-system/agentgateway1,claude-3-5-haiku-20241022,input,75,"), usage)
        XCTAssertTrue(usage.contains(",kgateway-system/agentgateway1,claude-3-5-haiku-20241022,output,2,"), usage)
        // The backend's warning, and the hours after the fake's last sample that no series covers.
        XCTAssertTrue(run.stdout.contains("warnings: 2"), run.stdout)
        let markdown = try String(
            contentsOf: output.appendingPathComponent("chargeback-2026-10-01.md"), encoding: .utf8)
        XCTAssertTrue(markdown.contains("store eu-1 is slow"), "the backend's warning is in the report")
        let manifest = try Data(contentsOf: output.appendingPathComponent("manifest.json"))
        let backend = (try JSONSerialization.jsonObject(with: manifest) as? [String: Any])?["backend"] as? [String: Any]
        XCTAssertEqual(backend?["url"] as? String, server.url + "/prometheus")
        for file in files(in: output) where !file.hasSuffix(".xlsx") {
            let text = try String(contentsOf: output.appendingPathComponent(file), encoding: .utf8)
            XCTAssertFalse(text.contains(Self.token), file)
        }
    }

    func testPartialResponseIsAcceptedWhenTheConfigAllowsIt() async throws {
        let server = try await healthyServer(extra: #","partialResponse":true"#)
        let refused = try await report(config: try config(url: server.url))
        XCTAssertEqual(refused.0.status, 1, refused.0.stderr)
        let allowed = try await report(config: try config(url: server.url, extra: "  allow_partial_response: true"))
        XCTAssertEqual(allowed.0.status, 0, allowed.0.stderr)
        let markdown = try String(
            contentsOf: allowed.1.appendingPathComponent("chargeback-2026-10-01.md"), encoding: .utf8)
        XCTAssertTrue(markdown.contains("partial response accepted"), "the report says data may be missing")
        XCTAssertTrue(server.requests.contains { $0.form["partial_response"] == "true" })
    }
}
