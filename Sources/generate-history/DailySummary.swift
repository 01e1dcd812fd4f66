/// The `--verbose` table: true cost per UTC day and gateway, with the peak hour.
struct DailySummary {
    let truth: GroundTruth

    /// One line per UTC day, then the totals.
    func lines() -> [String] {
        let gateways = World.gateways.indices
        var lines = [
            "date        day  " + gateways.map { pad("gw\($0 + 1) USD", 10) }.joined()
                + pad("total USD", 11) + pad("requests", 10) + pad("peak hour USD", 15)
        ]
        var hour = 0
        var grandTotal: MicroCents = 0
        var grandRequests = 0
        while hour < truth.hourCount {
            let dayStart = UTC.startOfDay(truth.firstHour + Millis(hour) * UTC.hour)
            var perGateway = Array(repeating: MicroCents(0), count: gateways.count)
            var requests = 0
            var peak: MicroCents = 0
            while hour < truth.hourCount, UTC.startOfDay(truth.firstHour + Millis(hour) * UTC.hour) == dayStart {
                var hourCost: MicroCents = 0
                for g in gateways {
                    perGateway[g] += truth.cost(hour: hour, gateway: g)
                    hourCost += truth.cost(hour: hour, gateway: g)
                    requests += truth.requests(hour: hour, gateway: g)
                }
                peak = max(peak, hourCost)
                hour += 1
            }
            let total = perGateway.reduce(0, +)
            grandTotal += total
            grandRequests += requests
            let weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][UTC.isoWeekday(dayStart) - 1]
            lines.append(
                "\(UTC.dateString(dayStart))  \(weekday)  " + perGateway.map { pad(usd($0), 10) }.joined()
                    + pad(usd(total), 11) + pad(String(requests), 10) + pad(usd(peak), 15)
                    + (total > 50 * 100_000_000 ? "  > $50" : ""))
        }
        lines.append("total: \(usd(grandTotal)) USD, \(grandRequests) requests")
        return lines
    }

    private func usd(_ value: MicroCents) -> String {
        let cents = (value + 500_000) / 1_000_000
        let fraction = String(cents % 100)
        return "\(cents / 100)." + (fraction.count < 2 ? "0" : "") + fraction
    }

    private func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(1, width - text.count)) + text
    }
}
