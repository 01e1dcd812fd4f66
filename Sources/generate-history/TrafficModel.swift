import Foundation

/// Expected request counts per minute: a diurnal curve, quieter weekends, a random factor per
/// gateway and day, and the scheduled spikes.
struct TrafficModel {
    private let start: Millis
    private let dayFactors: [[Double]]

    /// Weekend traffic relative to a weekday.
    static let weekendLevel = 0.38

    init(start: Millis, days: Int, seed: UInt64) {
        self.start = start
        var rng = SplitMix64(seed: seed, stream: 10)
        dayFactors = World.gateways.map { _ in (0...days).map { _ in 0.93 + 0.14 * rng.unit() } }
    }

    /// Mean number of requests for `served` on gateway `gateway` in the minute starting at `t`.
    func meanRequests(gateway: Int, served: ServedModel, minute t: Millis) -> Double {
        if let from = served.availableFrom, t < from { return 0 }
        let spec = World.gateways[gateway]
        let dayIndex = Int(UTC.floorDiv(t - UTC.startOfDay(start), UTC.day))
        let weekend = UTC.isoWeekday(t) >= 6
        let level = (weekend ? Self.weekendLevel : 1) * dayFactors[gateway][dayIndex]
        let hourOfDay = Double(t - UTC.startOfDay(t)) / Double(UTC.hour)
        var mean = spec.weekdayRequests / 1440 * served.weight * level * Self.shape(hourOfDay)
        for spike in World.spikes
        where spike.gateway == gateway && spike.model == served.model && t >= spike.from && t < spike.to {
            mean += spike.requestsPerMinute
        }
        return mean
    }

    /// Diurnal curve in UTC, mean 1 over a day: busy from 03:00 (Asia and Europe) to 22:00 (the
    /// Americas) with a mild bump when Europe and the US overlap, and quiet around midnight, so
    /// little traffic straddles a UTC day boundary.
    static func shape(_ hourOfDay: Double) -> Double {
        raw(hourOfDay) / rawMean
    }

    private static func raw(_ hour: Double) -> Double {
        func rise(_ x: Double) -> Double { 1 / (1 + exp(-x / 0.6)) }
        let z = (hour - 15.0) / 4.0
        return 0.05 + rise(hour - 3) * rise(22 - hour) * (0.92 + 0.08 * exp(-0.5 * z * z))
    }

    private static let rawMean: Double = {
        let steps = 1440
        let total = (0..<steps).reduce(0.0) { $0 + raw((Double($1) + 0.5) / 60.0) }
        return total / Double(steps)
    }()
}
