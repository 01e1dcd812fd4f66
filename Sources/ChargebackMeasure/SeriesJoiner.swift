import ChargebackConfig
import ChargebackModel
import ChargebackNetwork

/// Joins the parts of a split range query into one series per label set, in time order.
struct SeriesJoiner {
    private var order: [String] = []
    private var joined: [String: (labels: [String: String], samples: [(Int64, Double)])] = [:]

    /// Adds the series of the next (later) part.
    mutating func append(_ series: [SeriesSamples]) {
        for one in series {
            let identity = Self.identity(one.labels)
            if joined[identity] == nil {
                order.append(identity)
                joined[identity] = (one.labels, [])
            }
            joined[identity]?.samples += one.samples
        }
    }

    /// The joined series, in first-seen order.
    var series: [SeriesSamples] {
        order.compactMap { joined[$0] }.map { SeriesSamples(labels: $0.labels, samples: $0.samples) }
    }

    private static func identity(_ labels: [String: String]) -> String {
        labels.sorted { $0.key < $1.key }.map { "\($0.key)\u{0}\($0.value)" }.joined(separator: "\u{1}")
    }
}
