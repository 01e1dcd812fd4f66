import ChargebackCore
import Foundation
import TestSupport

/// chargeback-xlsx-bench: the million-line-item workbook of `LargeWorkbookTests`, as a release
/// executable for Benchmarks/run.sh (a benchmark, not a test).
///
///   chargeback-xlsx-bench [--rows 1000000] [--config Samples/chargeback.yaml] [--keep FILE]
///
/// Builds the same cost lines as the test (hourly rows for October 2026, 20 models per gateway),
/// times `WorkbookRenderer.write` with hourly line items and prints one line:
/// `rows=… seconds=… cpu_seconds=… bytes=… peak_rss_mb=…` (wall and CPU time of the write alone).
var rows = 1_000_000
var configPath = "Samples/chargeback.yaml"
var keep: String?
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--rows": rows = Int(arguments.popFirst() ?? "") ?? rows
    case "--config": configPath = arguments.popFirst() ?? configPath
    case "--keep": keep = arguments.popFirst()
    default:
        FileHandle.standardError.write(Data("usage: chargeback-xlsx-bench [--rows N] [--config FILE] [--keep FILE]\n".utf8))
        exit(64)
    }
}

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func peakMegabytes() -> Int {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return usage.ru_maxrss / 1024
}

let data = try LargeWorkbookData.make(rows: rows)
let (period, buckets, lines, allocation) = (data.period, data.buckets, data.lines, data.allocation)
let config = try ConfigLoader.load(path: configPath)
let report = Report(toolVersion: "bench", generatedAt: period.end, period: period, buckets: buckets, partial: false,
                    prometheusURL: "http://p", config: config, lines: lines, allocation: allocation,
                    assessment: Assess.assess(lines: lines, allocation: allocation, buckets: buckets, period: period,
                                              config: config),
                    coverage: Coverage(),
                    queries: [], diagnostics: [])
let url = keep.map { URL(fileURLWithPath: $0) }
    ?? FileManager.default.temporaryDirectory.appendingPathComponent("xlsx-bench-\(getpid()).xlsx")
defer { if keep == nil { try? FileManager.default.removeItem(at: url) } }
let before = peakMegabytes()
let clock = ContinuousClock()
let cpuBefore = cpuSeconds()
let started = clock.now
try WorkbookRenderer.write(report, to: url.path, options: WorkbookOptions(hourly: true))
let elapsed = clock.now - started
let cpu = cpuSeconds() - cpuBefore
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
let size = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
print("rows=\(lines.count * buckets.hourCount) seconds=\(String(format: "%.2f", seconds)) "
      + "cpu_seconds=\(String(format: "%.2f", cpu)) bytes=\(size) "
      + "peak_rss_mb_before=\(before) peak_rss_mb=\(peakMegabytes())")
