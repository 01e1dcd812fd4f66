import ChargebackCore
import Foundation
import TestSupport
import XCTest

/// The built `chargeback` binary, run as cron would: no terminal, an almost empty environment.
final class CommandLineTests: XCTestCase {
    var output: URL!
    let binary = SampleWorld.buildFolder.appendingPathComponent("chargeback").path
    let config = PackagePaths.root.appendingPathComponent("Samples/chargeback.yaml").path
    /// Cron gives a program almost nothing; we give it nothing at all.
    let cronEnvironment: [String: String] = [:]

    override func setUpWithError() throws {
        output = FileManager.default.temporaryDirectory.appendingPathComponent("cb-cli-\(UUID().uuidString)")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: output)
    }

    func chargeback(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try SampleWorld.execute(binary, arguments, environment: cronEnvironment)
    }

    /// The files in the output folder, without the lock file; staging leftovers would show.
    func files() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: output.path)) ?? []).filter { $0 != OutputLock.fileName }
            .sorted()
    }

    func testReportWritesTheFilesOfTheSpecWithExactUsage() throws {
        let world = try SampleWorld.get()
        let run = try chargeback([
            "report", "--config", config, "--period", "2026-10", "--prometheus-url", world.url,
            "--output", output.path,
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("reports in \(output.path)"), run.stdout)
        XCTAssertEqual(
            files(),
            [
                "chargeback-2026-10-changes.csv", "chargeback-2026-10-chargeback.csv", "chargeback-2026-10-teams.csv",
                "chargeback-2026-10-thresholds.csv", "chargeback-2026-10-usage.csv", "chargeback-2026-10.md",
                "chargeback-2026-10.xlsx",
                "manifest.json",
            ])
        // The month's incidents are named by pod: the reset, the replaced pod, the new series, the gaps.
        let report = try String(
            contentsOf: output.appendingPathComponent("chargeback-2026-10.md"), encoding: .utf8)
        let rows = report.split(separator: "\n").map(String.init)
        for kind in ["Counter reset", "Series started", "Series stopped", "Pod replaced"] {
            XCTAssertTrue(rows.contains { $0.hasPrefix("| \(kind) | agentgateway") }, "\(kind):\n\(report)")
        }
        XCTAssertTrue(rows.contains { $0.hasPrefix("| kgateway-system/agentgateway2 agentgateway2-") }, "a gap")
        XCTAssertTrue(report.contains("## In short"), report)

        let usage = try String(
            contentsOf: output.appendingPathComponent("chargeback-2026-10-usage.csv"), encoding: .utf8)
        let lines = usage.split(separator: "\n")
        XCTAssertEqual(lines.first, "period_start,period_end,gateway,model,token_type,tokens,cost_usd")
        var perGateway: [String: Int64] = [:]
        for line in lines.dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            XCTAssertEqual(cells.count, 7, String(line))
            let tokens = try XCTUnwrap(Int64(cells[5]), "tokens must be an integer: \(line)")
            let decimals = cells[6].split(separator: ".").last?.count ?? 0
            XCTAssertGreaterThanOrEqual(decimals, 6, "cost_usd keeps at least 6 decimals: \(line)")
            perGateway[String(cells[2]), default: 0] += tokens
        }
        let period = try Period.parse("2026-10", in: TimeZone(identifier: "UTC")!)
        let truth = world.truth.totals(from: period.start, to: period.end) { $0.gateway }
        XCTAssertEqual(perGateway.count, 3)
        for (gateway, expected) in truth {
            XCTAssertEqual(
                Double(perGateway[gateway] ?? 0), Double(expected), accuracy: Double(expected) * 0.0005, gateway)
        }

        let markdown = try String(contentsOf: output.appendingPathComponent("chargeback-2026-10.md"), encoding: .utf8)
        for section in [
            "## Cost per team", "## Cost per gateway", "## Cost per model", "## Cost per day", "## Data quality",
        ] {
            XCTAssertTrue(markdown.contains(section), section)
        }
        let dayRows = markdown.split(separator: "\n").filter {
            $0.range(of: #"^\| 2026-10-\d\d \| [0-9,]+ \| \$"#, options: .regularExpression) != nil
        }
        XCTAssertEqual(dayRows.count, 31, "one row per day")
        for gateway in truth.keys { XCTAssertTrue(markdown.contains("| \(gateway) |"), gateway) }
        XCTAssertTrue(markdown.contains("⚠ over daily $50.00"), "the sample's spike days are marked")
    }

    func testQuietPrintsNothingAndFailOnBreachExitsThree() throws {
        let world = try SampleWorld.get()
        let quiet = try chargeback([
            "report", "--config", config, "--period", "2026-10-07", "--prometheus-url", world.url,
            "--output", output.path, "--quiet",
        ])
        XCTAssertEqual(quiet.status, 0, quiet.stderr)
        XCTAssertEqual(quiet.stdout, "")
        XCTAssertEqual(quiet.stderr, "")
        let breach = try chargeback([
            "report", "--config", config, "--period", "2026-10-07", "--prometheus-url", world.url,
            "--output", output.path, "--quiet", "--fail-on-breach",
        ])
        XCTAssertEqual(breach.status, 3, "2026-10-07 is over the $50 daily threshold")
        let calm = try chargeback([
            "report", "--config", config, "--period", "2026-10-04", "--prometheus-url", world.url,
            "--output", output.path, "--quiet", "--fail-on-breach",
        ])
        XCTAssertEqual(calm.status, 0, "2026-10-04 (a Sunday) breaches nothing: \(calm.stderr)")
    }

    func testUnreachablePrometheusExitsOneAndLeavesPreviousReportsAlone() throws {
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let previous = output.appendingPathComponent("chargeback-2026-10.md")
        try Data("previous report\n".utf8).write(to: previous)
        let closed = "http://127.0.0.1:\(try ClosedPort.find())"
        let run = try chargeback([
            "report", "--config", config, "--period", "2026-10", "--prometheus-url", closed,
            "--output", output.path,
        ])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains(closed), run.stderr)
        XCTAssertEqual(files(), ["chargeback-2026-10.md"], "no new or half-written files")
        XCTAssertEqual(try String(contentsOf: previous, encoding: .utf8), "previous report\n")
    }

    func testBadInputExitsSixtyFourNamingFileAndLine() throws {
        let missing = try chargeback([
            "report", "--config", "/nonexistent/chargeback.yaml", "--period", "2026-10",
            "--output", output.path,
        ])
        XCTAssertEqual(missing.status, 64)
        XCTAssertTrue(missing.stderr.contains("/nonexistent/chargeback.yaml"), missing.stderr)

        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let broken = output.appendingPathComponent("broken.yaml")
        try Data("prometheus:\n  url: http://127.0.0.1:9090\n  timeout: [oops\n".utf8).write(to: broken)
        let run = try chargeback(["validate", "--config", broken.path])
        XCTAssertEqual(run.status, 64)
        XCTAssertTrue(run.stderr.contains("broken.yaml:"), run.stderr)

        let usage = try chargeback(["report", "--config", config])
        XCTAssertEqual(usage.status, 64, "no period is a usage error")
        XCTAssertEqual(files(), ["broken.yaml"], "nothing written on input errors")
    }
}

extension CommandLineTests {
    func testValidateOnlineListsWhatNoPriceOrRuleCovers() throws {
        let world = try SampleWorld.get()
        let good = try chargeback([
            "validate", "--config", config, "--online", "--prometheus-url", world.url, "--as-of",
            "2026-11-01T00:00:00Z",
        ])
        XCTAssertEqual(good.status, 0, good.stderr)
        XCTAssertTrue(
            good.stdout.contains(
                "from 2026-10-02T00:00:00Z to 2026-11-01T00:00:00Z (the 30 days before --as-of)"), good.stdout)
        XCTAssertTrue(
            good.stdout.contains(
                "gateways (gateway): kgateway-system/agentgateway1, kgateway-system/agentgateway2, "
                    + "kgateway-system/agentgateway3"), good.stdout)
        // A window before the history: the message names the window and how to choose another.
        let empty = try chargeback([
            "validate", "--config", config, "--online", "--prometheus-url", world.url, "--as-of", "2026-06-01",
        ])
        XCTAssertEqual(empty.status, 1, empty.stderr)
        for part in [
            "between 2026-05-02T00:00:00Z and 2026-06-01T00:00:00Z", "looked at the 30 days before --as-of",
            "--as-of TIME", "--from and --to",
        ] {
            XCTAssertTrue(empty.stderr.contains(part), "\(part): \(empty.stderr)")
        }
        // Without a price for GPT-4o and without the catch-all rule, both lists name it.
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let samples = PackagePaths.root.appendingPathComponent("Samples")
        let pricing = try String(contentsOf: samples.appendingPathComponent("pricing.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "gpt-4o-2024-08-06", with: "gpt-5")
        let teams = try String(contentsOf: samples.appendingPathComponent("teams.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "unallocated: report", with: "unallocated: error")
            .replacingOccurrences(of: "gateway: \"*\"", with: "gateway: \"none\"")
            // A rule the first one shadows: agentgateway1's usage is all Search's before it is read.
            .replacingOccurrences(
                of: "    team: Search\n",
                with: "    team: Search\n  - match: { gateway: \"kgateway-system/agentgateway1\", model: \"gpt*\" }\n"
                    + "    team: Research\n")
        let lines = teams.split(separator: "\n", omittingEmptySubsequences: false)
        let shadowedLine = try XCTUnwrap(lines.firstIndex { $0.contains("model: \"gpt*\"") }) + 1
        let firstLine =
            try XCTUnwrap(lines.firstIndex { $0.contains("gateway: \"kgateway-system/agentgateway1\" }") }) + 1
        let chargebackYAML = try String(contentsOf: samples.appendingPathComponent("chargeback.yaml"), encoding: .utf8)
        try pricing.write(to: output.appendingPathComponent("pricing.yaml"), atomically: true, encoding: .utf8)
        try teams.write(to: output.appendingPathComponent("teams.yaml"), atomically: true, encoding: .utf8)
        try chargebackYAML.write(
            to: output.appendingPathComponent("chargeback.yaml"), atomically: true, encoding: .utf8)
        let bad = try chargeback([
            "validate", "--config", output.appendingPathComponent("chargeback.yaml").path, "--online",
            "--prometheus-url", world.url, "--from", "2026-10-01", "--to", "2026-11-01",
        ])
        XCTAssertEqual(bad.status, 64)
        XCTAssertTrue(
            bad.stderr.contains("pricing.yaml: model 'gpt-4o-2024-08-06' is used but no price matches it"), bad.stderr)
        XCTAssertTrue(
            bad.stderr.contains("teams.yaml: usage 'kgateway-system/agentgateway2 gpt-4o-2024-08-06"), bad.stderr)
        // The dead rules: the shadowed one, from the file alone and online, and the one matching nothing seen.
        XCTAssertTrue(
            bad.stderr.contains(
                "teams.yaml:\(shadowedLine): this rule never takes usage: the earlier rule at teams.yaml:\(firstLine)"),
            bad.stderr)
        XCTAssertTrue(bad.stderr.contains("this rule (gateway=none) takes none of the "), bad.stderr)
        let offline = try chargeback(["validate", "--config", output.appendingPathComponent("chargeback.yaml").path])
        XCTAssertEqual(offline.status, 0, offline.stderr)
        XCTAssertTrue(
            offline.stderr.contains("teams.yaml:\(shadowedLine): this rule never takes usage"), offline.stderr)
    }
}

extension CommandLineTests {
    /// A second run into the same folder is refused while the first holds the lock.
    func testASecondConcurrentRunIsRefusedByTheLock() throws {
        let world = try SampleWorld.get()
        var lock: OutputLock? = try OutputLock(directory: output, wait: false)
        let refused = try chargeback([
            "report", "--config", config, "--period", "2026-10-04", "--prometheus-url", world.url,
            "--output", output.path,
        ])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("another chargeback run (pid \(getpid()))"), refused.stderr)
        XCTAssertEqual(files(), [], "no report files while locked")
        XCTAssertNotNil(lock)
        lock = nil
        let after = try chargeback([
            "report", "--config", config, "--period", "2026-10-04", "--prometheus-url", world.url,
            "--output", output.path, "--quiet",
        ])
        XCTAssertEqual(after.status, 0, after.stderr)
    }

    func testFuturePeriodsOtherThanThisMonthAreRefused() throws {
        let run = try chargeback(["report", "--config", config, "--period", "2099-01", "--output", output.path])
        XCTAssertEqual(run.status, 64)
        XCTAssertTrue(run.stderr.contains("2099-01"), run.stderr)
    }
}

extension CommandLineTests {
    /// `--log-format json` makes every stderr line a JSON object, for log shippers.
    func testJSONLogsAreOneObjectPerLine() throws {
        let world = try SampleWorld.get()
        let run = try chargeback([
            "report", "--config", config, "--period", "2026-10-04", "--prometheus-url", world.url,
            "--output", output.path, "--verbose", "--log-format", "json",
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        let lines = run.stderr.split(separator: "\n")
        XCTAssertGreaterThan(lines.count, 3, "verbose logs every query")
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            XCTAssertNotNil(object?["level"], String(line))
            XCTAssertNotNil(object?["message"], String(line))
        }
        XCTAssertTrue(run.stderr.contains("\"points\""), "the fetch summary names points")
    }
}
