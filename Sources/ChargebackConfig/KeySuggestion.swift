import ChargebackModel

/// The known key a mistyped one most likely meant, for "did you mean" hints.
package enum KeySuggestion {
    /// The known key within a small edit distance of `key` (a third of its length, at least 1,
    /// at most 3), the nearest first and alphabetically on ties; `nil` when none is that close.
    package static func nearest(to key: String, in known: Set<String>) -> String? {
        let limit = min(3, max(1, key.count / 3))
        let scored = known.map { (name: $0, distance: distance(key.lowercased(), $0.lowercased())) }
            .filter { $0.distance <= limit }
        return scored.min { ($0.distance, $0.name) < ($1.distance, $1.name) }?.name
    }

    /// Levenshtein distance (insertions, deletions, substitutions) between two strings.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, y) in b.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
