import Foundation

extension Date {
    /// The instant `millis` milliseconds after 1970 (Prometheus sample time).
    public init(millis: Int64) {
        self.init(timeIntervalSince1970: Double(millis) / 1000)
    }

    /// Milliseconds since 1970, rounded to the nearest.
    public var millis: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }
}
