import ChargebackConfig
import ChargebackDeliver
import ChargebackMeasure
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation

/// Where the backend's data of the token counter starts.
public enum OldestData {
    /// The start of the hour before the oldest sample the backend holds of the token counter, looked
    /// for over growing spans (35 days, then doubling to about a year and a half); `nil` when it holds none.
    public static func find(client: any MetricsBackend, config: ChargebackConfig, before now: Date) async throws
        -> Hour?
    {
        let selector = config.metrics.selector(for: config.metrics.tokens)
        var days = 35
        while days <= 560 {
            let result = try await client.query("min_over_time(timestamp(group(\(selector)))[\(days)d:1h])", at: now)
            guard let value = result.series.first?.samples.first?.1, value.isFinite else {
                return nil
            }
            let oldest = Date(timeIntervalSince1970: value)
            if oldest.timeIntervalSince(now.addingTimeInterval(-Double(days) * 86400)) > 2 * TimeInterval(Hour.seconds)
            {
                return Hour(containing: oldest).advanced(by: -1)
            }
            days *= 2
        }
        return Hour(containing: now.addingTimeInterval(-Double(days / 2) * 86400))
    }
}
