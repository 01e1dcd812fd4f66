import ChargebackCore
import Foundation
import XCTest

/// Days add up to their week and their month, hour by hour, whatever the outages, restarts and
/// relabels: a random history (seeded; `EDGE_SEED` picks another) read for every day, ISO week and
/// the month of October 2026 with both plans on both backends.
final class CounterEdgePropertyTests: XCTestCase {
    static let seed = UInt64(ProcessInfo.processInfo.environment["EDGE_SEED"] ?? "") ?? 19

    /// Four gateways scraped every minute (one on the minute, three at a random second), each with
    /// three outages of 10 minutes to 10 days (longer than the far-edge window), a restart inside half
    /// of them, and two relabels.
    static let cases: [EdgeHistory.Case] = {
        var random = SeededRandom(seed: CounterEdgePropertyTests.seed)
        let first = EdgeHistory.at("2026-09-28T00:00:00Z")
        let last = EdgeHistory.at("2026-11-03T00:00:00Z")
        return (0..<4).map { index in
            var history = EdgeHistory.Case(gateway: "edge/random-\(index)")
            let phase = index == 0 ? 0 : Int64.random(in: 1...59, using: &random)
            let outages = (0..<3).map { _ -> (Int64, Int64) in
                let start = Int64.random(in: (first + 86400)...(last - 2 * 86400), using: &random)
                let length = Int64(exp(Double.random(in: log(600.0)...log(10 * 86400.0), using: &random)))
                return (start, start + length)
            }.sorted { $0.0 < $1.0 }
            // The processes: a restart somewhere inside half of the outages.
            var starts: [Int64] = [first]
            for (from, to) in outages where Bool.random(using: &random) {
                starts.append(Int64.random(in: from...to, using: &random))
            }
            starts.sort()
            let relabels = (0..<2).map { _ in Int64.random(in: (first + 86400)...(last - 86400), using: &random) }
                .sorted()
            var samples: [[String: String]: [(time: Int64, value: Int64)]] = [:]
            var order: [[String: String]] = []
            for time in stride(from: first + phase, through: last, by: 60)
            where !outages.contains(where: { time >= $0.0 && time < $0.1 }) {
                let start = starts.last { $0 <= time }!
                let generation = relabels.filter { $0 <= time }.count
                let labels = history.labels(generation == 0 ? [:] : ["instance": "10.1.\(index).\(generation):9090"])
                if samples[labels] == nil { order.append(labels) }
                samples[labels, default: []].append((time, EdgeHistory.rate * (time - start)))
            }
            history.series = order.map { EdgeHistory.Series(labels: $0, samples: samples[$0]!) }
            func text(_ time: Int64) -> String { DateText.utc(Date(timeIntervalSince1970: TimeInterval(time))) }
            history.notes =
                "phase \(phase) s; outages " + outages.map { "\(text($0.0))–\(text($0.1))" }.joined(separator: ", ")
                + "; restarts " + starts.dropFirst().map(text).joined(separator: ", ")
                + "; relabels " + relabels.map(text).joined(separator: ", ")
            return history
        }
    }()

    /// Where two sets of hourly rows first differ, with the totals, or `nil` when they are equal.
    static func difference(_ a: [String: [Int64]], _ b: [String: [Int64]]) -> String? {
        for gateway in Set(a.keys).union(b.keys).sorted() where a[gateway] != b[gateway] {
            let (x, y) = (a[gateway] ?? [], b[gateway] ?? [])
            let hours = (0..<max(x.count, y.count)).filter {
                ($0 < x.count ? x[$0] : -1) != ($0 < y.count ? y[$0] : -1)
            }
            let hour = hours[0]
            return "\(gateway): \(hours.count) hours differ, first hour \(hour) "
                + "(\(hour < x.count ? x[hour] : 0) vs \(hour < y.count ? y[hour] : 0)); totals \(x.reduce(0, +)) vs \(y.reduce(0, +))"
        }
        return nil
    }

    nonisolated(unsafe) static var servers: Result<EdgeBackends, Error>?

    override class func tearDown() {
        if case .success(let backends)? = servers { backends.stop() }
        servers = nil
        super.tearDown()
    }

    func testDaysAddUpToTheirWeekAndMonthHourByHourOnBothPlansAndBackends() async throws {
        if Self.servers == nil {
            Self.servers = Result { try EdgeBackends.start(name: "counter-edge-property", cases: Self.cases) }
        }
        let backends = try Self.servers!.get()
        let days = (1...32).map { String(format: "2026-%02d-%02d", $0 > 31 ? 11 : 10, $0 > 31 ? 1 : $0) }
        let weeks = [("2026-W41", 4), ("2026-W42", 11), ("2026-W43", 18), ("2026-W44", 25)]
        print("seed \(Self.seed)\n" + Self.cases.map { "\($0.gateway): \($0.notes)" }.joined(separator: "\n"))
        var months: [(String, [String: [Int64]])] = []
        for backend in backends.backends {
            for plan in [FetchPlan.summaries, .raw] {
                let label = "\(backend.name) \(plan) seed \(Self.seed)"
                var daily: [[String: [Int64]]] = []
                for day in days {
                    daily.append(try await EdgeBackends.usage(url: backend.url, plan: plan, period: day).hourly)
                }
                func joined(_ range: Range<Int>) -> [String: [Int64]] {
                    var rows: [String: [Int64]] = [:]
                    for history in Self.cases {
                        rows[history.gateway] = range.flatMap {
                            daily[$0][history.gateway] ?? Array(repeating: 0, count: 24)
                        }
                    }
                    return rows
                }
                func read(_ period: String, hours: Int) async throws -> [String: [Int64]] {
                    let hourly = try await EdgeBackends.usage(url: backend.url, plan: plan, period: period).hourly
                    return Dictionary(
                        uniqueKeysWithValues: Self.cases.map {
                            ($0.gateway, hourly[$0.gateway] ?? Array(repeating: 0, count: hours))
                        })
                }
                let month = try await read("2026-10", hours: 744)
                let days = joined(0..<31)
                XCTAssertNil(Self.difference(days, month), "\(label): the days of October are its month, hour by hour")
                print(
                    "\(label): October "
                        + Self.cases.map {
                            "\($0.gateway) days \(days[$0.gateway]!.reduce(0, +)), month \(month[$0.gateway]!.reduce(0, +))"
                        }.joined(separator: "; "))
                for (week, firstDay) in weeks {
                    let whole = try await read(week, hours: 168)
                    XCTAssertNil(
                        Self.difference(joined(firstDay..<(firstDay + 7)), whole),
                        "\(label): the days of \(week) are the week, hour by hour")
                }
                XCTAssertGreaterThan(month.values.reduce(0) { $0 + $1.reduce(0, +) }, 0, label)
                months.append((label, month))
            }
        }
        for (label, month) in months.dropFirst() {
            XCTAssertNil(Self.difference(month, months[0].1), "\(label) agrees with \(months[0].0) hour by hour")
        }
        for (label, month) in months {
            let totals = Self.cases.map { "\($0.gateway) \(month[$0.gateway]?.reduce(0, +) ?? 0)" }
            print("\(label): " + totals.joined(separator: ", "))
        }
    }
}
