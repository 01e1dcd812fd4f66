/// Stitching the copies of a counter scraped twice where the copy counted changes from one hour
/// to the next (``DoubleScrape/Group/chosen``).
///
/// Each copy's hours chain from its own readings: its increase in an hour runs from its value at
/// the hour's start (its last sample before, or its share of a gap) to its last sample in the hour.
/// The copies are scraped at their own moments, so where hour `h` is taken from copy B after hour
/// `h − 1` from copy A, the tokens between A's and B's last readings of hour `h − 1` would be
/// counted twice or not at all (a second of traffic at 1 s scrapes: +0.6 % of a 3-minute window).
/// The stitch adds B's value at the end of `h − 1` less A's, both in their own chains: from the
/// latest hour `k < h` in which both have a last sample after which no gap of either crosses the
/// hour's end (their readings there are their values at its end), plus each one's increases of the
/// hours between (or, without such an hour before `h`, from the first after it, less the increases
/// up to it). So the hours chain exactly from one copy to the other. Not where B reset in `h` (its
/// increase then starts from the restart) or no such hour exists.
extension DoubleScrape {
    /// One copy's increases, last sample values (-1: none), hours whose end a gap of it crosses,
    /// and reset hours, per period hour.
    struct CopyHours {
        let increases: [Int64]
        let lasts: [Int64]
        let gapEnds: Set<Int>
        let resetHours: Set<Int>

        /// Whether the copy's value at the end of `hour` is its last reading in it.
        func anchors(_ hour: Int) -> Bool { lasts[hour] >= 0 && !gapEnds.contains(hour) }
    }

    /// The corrections (hour, tokens) at each change of copy in `chosen`.
    static func switchCorrections(chosen: [Int], copies: [CopyHours]) -> [(Int, Int64)] {
        var corrections: [(Int, Int64)] = []
        for hour in chosen.indices.dropFirst() where chosen[hour] != chosen[hour - 1] {
            let (old, new) = (copies[chosen[hour - 1]], copies[chosen[hour]])
            guard !new.resetHours.contains(hour) else { continue }
            let both = { (anchor: Int) in old.anchors(anchor) && new.anchors(anchor) }
            // Each copy's value at the end of `hour − 1`, less the other's.
            if let anchor = (0..<hour).reversed().first(where: both) {
                var correction = new.lasts[anchor] - old.lasts[anchor]
                for between in (anchor + 1)..<hour { correction += new.increases[between] - old.increases[between] }
                corrections.append((hour, correction))
            } else if let anchor = (hour..<chosen.count).first(where: both) {
                var correction = new.lasts[anchor] - old.lasts[anchor]
                for between in hour...anchor { correction -= new.increases[between] - old.increases[between] }
                corrections.append((hour, correction))
            }
        }
        return corrections
    }
}
