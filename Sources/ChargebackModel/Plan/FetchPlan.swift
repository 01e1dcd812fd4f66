import Foundation

/// How the counters are read from Prometheus (see ``RunPlanner``).
public enum FetchPlan: String, Sendable, Equatable {
    /// Hourly `last`/`count`/`min`/`resets` summaries computed by the server, and raw samples
    /// only for the hours of each series they cannot settle.
    case summaries
    /// Every raw sample of every series, in chunks.
    case raw
}
