import ChargebackConfig
import ChargebackModel
import Foundation

/// When a failed request is tried again, and how long to wait first.
///
/// Connection errors, timeouts, 429 and the 5xx statuses a proxy or an overloaded server sends
/// are retried; everything else is an answer and is not. Waits grow exponentially with jitter,
/// and a server's `Retry-After` (seconds or an HTTP date) wins when it says longer.
package struct RetryPolicy: Sendable {
    /// Extra attempts after the first.
    package let retries: Int
    /// The first wait in seconds; it doubles each attempt, times a random factor in 0.5…1.
    let base: Double
    /// No single wait is longer than this, whatever `Retry-After` says.
    package static let maxDelay: Double = 60

    package var attempts: Int { retries + 1 }

    /// Whether an HTTP status is worth another attempt.
    package static func isRetryable(status: Int) -> Bool {
        status == 429 || status == 500 || status == 502 || status == 503 || status == 504
    }

    /// Seconds to wait after failed attempt `attempt` (1-based).
    /// - Parameter retryAfter: the server's `Retry-After` header, if any.
    package func delay(afterAttempt attempt: Int, retryAfter: String?, now: Date = Date()) -> Double {
        let backoff = base * pow(2, Double(attempt - 1)) * Double.random(in: 0.5...1.0)
        let asked = retryAfter.flatMap { Self.seconds(retryAfter: $0, now: now) } ?? 0
        return min(max(backoff, asked), Self.maxDelay)
    }

    /// `Retry-After` as seconds from `now`: delta-seconds (`120`) or an HTTP date
    /// (`Wed, 21 Oct 2026 07:28:00 GMT`); `nil` when it is neither.
    package static func seconds(retryAfter text: String, now: Date) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed), seconds.isFinite { return max(seconds, 0) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return max(date.timeIntervalSince(now), 0)
    }

    package init(retries: Int, base: Double) {
        self.retries = retries
        self.base = base
    }
}
