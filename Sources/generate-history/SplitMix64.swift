import Foundation

/// A small, fast, deterministic pseudo-random generator (SplitMix64) with the few
/// distributions the simulation needs. Independent streams come from `(seed, stream)`.
struct SplitMix64 {
    private var state: UInt64

    /// A generator for one named purpose: the same `(seed, stream)` always yields the same sequence.
    init(seed: UInt64, stream: UInt64) {
        state = seed ^ (stream &* 0xD1B5_4A32_D192_ED03)
        _ = next()
    }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// Uniform integer in [0, bound); `bound` must be positive.
    mutating func int(below bound: Int64) -> Int64 {
        Int64(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// Uniform integer in the closed range.
    mutating func int(in range: ClosedRange<Int64>) -> Int64 {
        range.lowerBound + int(below: range.upperBound - range.lowerBound + 1)
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool {
        unit() < p
    }

    /// Standard normal (Box–Muller, one value per call).
    mutating func normal() -> Double {
        let u1 = 1.0 - unit()  // (0, 1]: log is finite
        let u2 = unit()
        return (-2.0 * log(u1)).squareRoot() * cos(2.0 * Double.pi * u2)
    }

    /// Log-normal with the given median and shape, rounded to a whole number within `limits`.
    mutating func logNormalCount(median: Double, sigma: Double, limits: ClosedRange<Int64>) -> Int64 {
        let value = (median * exp(sigma * normal())).rounded()
        return min(max(Int64(value), limits.lowerBound), limits.upperBound)
    }

    /// Poisson-distributed count (Knuth for small means, rounded normal approximation above 40).
    mutating func poisson(mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        if mean > 40 {
            return max(0, Int((mean + mean.squareRoot() * normal()).rounded()))
        }
        let limit = exp(-mean)
        var product = unit()
        var count = 0
        while product > limit {
            count += 1
            product *= unit()
        }
        return count
    }
}
