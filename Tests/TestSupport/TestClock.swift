import Foundation

/// The clocks a test sees when the suite runs under libfaketime (`faketime -f +400d`, or
/// `FAKETIME=+400d` with `LD_PRELOAD`): this process and every child it starts (``ChildProcess``
/// passes the variables on) run on the moved clock; servers written in Go (Prometheus,
/// VictoriaMetrics) ignore libfaketime and keep the real one.
public enum TestClock {
    /// The libfaketime variables of this process, handed to every child so chargeback's clock is the
    /// tests' clock.
    public static let fakeTimeEnvironment: [String: String] = ProcessInfo.processInfo.environment.filter {
        $0.key == "FAKETIME" || $0.key.hasPrefix("FAKETIME_") || $0.key == "DONT_FAKE_MONOTONIC"
            || ($0.key == "LD_PRELOAD" && $0.value.contains("faketime"))
    }

    /// Seconds this process's clock runs ahead of the real one: 0 without libfaketime, else the
    /// offset of a relative `FAKETIME` such as `+400d` or `-2h`.
    public static let offset: TimeInterval = {
        guard fakeTimeEnvironment["LD_PRELOAD"] != nil, let spec = fakeTimeEnvironment["FAKETIME"] else { return 0 }
        guard let seconds = relativeSeconds(spec) else {
            fatalError("FAKETIME '\(spec)' is not a relative offset like +400d; the live tests cannot map the clocks")
        }
        return seconds
    }()

    /// The real time: the clock of Prometheus and VictoriaMetrics, and of the samples they stamp.
    public static func serverNow() -> Date { Date().addingTimeInterval(-offset) }

    /// `+400d`, `-2h`, `+90` (seconds): libfaketime's relative offsets.
    static func relativeSeconds(_ spec: String) -> TimeInterval? {
        guard let sign = spec.first, sign == "+" || sign == "-" else { return nil }
        var number = String(spec.dropFirst())
        let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "y": 365 * 86400]
        var unit: TimeInterval = 1
        if let last = number.last, let factor = units[last] {
            unit = factor
            number.removeLast()
        }
        guard let value = Double(number) else { return nil }
        return (sign == "-" ? -1 : 1) * value * unit
    }
}

extension TestClock {
    /// ``serverNow()`` to the second below, as `--as-of` takes it: `2026-12-06T19:46:47Z`.
    public static func serverNowArgument() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: serverNow().timeIntervalSince1970.rounded(.down)))
    }
}
