import Foundation

/// The Prometheus protobuf exposition (`io.prometheus.client.MetricFamily`, length-delimited), the
/// only format that carries native histograms, written by hand for the test exporter: just the
/// fields a gauge and a native histogram need.
enum ProtobufExposition {
    /// What Prometheus asks for when it can read protobuf, and the answer's content type.
    static let contentType =
        "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"

    /// One native histogram sample of schema 0 (bucket `i` holds values in `(2^(i-1), 2^i]`).
    struct NativeHistogram {
        var count: UInt64 = 0
        var sum: Double = 0
        var zeroCount: UInt64 = 0
        var buckets: [Int: UInt64] = [:]
        /// Classic buckets (upper bound, cumulative count) sent beside the native ones (`histograms: both`).
        var classic: [(bound: Double, count: UInt64)] = []

        mutating func observe(_ value: Double) {
            count += 1
            sum += value
            guard value > 0 else {
                zeroCount += 1
                return
            }
            let (fraction, exponent) = frexp(value)
            buckets[fraction == 0.5 ? exponent - 1 : exponent, default: 0] += 1
        }
    }

    /// A metric family of native histograms, one per label set.
    static func histogramFamily(name: String, help: String, metrics: [([(String, String)], NativeHistogram)]) -> [UInt8]
    {
        family(
            name: name, help: help, type: 4,
            metrics: metrics.map { labels, histogram in
                var body = labelPairs(labels)
                body += ProtobufWire.field(7, message: nativeHistogram(histogram))
                return body
            })
    }

    /// A metric family of gauges.
    static func gaugeFamily(name: String, help: String, metrics: [([(String, String)], Double)]) -> [UInt8] {
        family(
            name: name, help: help, type: 1,
            metrics: metrics.map { labels, value in
                labelPairs(labels) + ProtobufWire.field(2, message: ProtobufWire.fixed64(1, value.bitPattern))
            })
    }

    private static func family(name: String, help: String, type: UInt64, metrics: [[UInt8]]) -> [UInt8] {
        var body =
            ProtobufWire.field(1, string: name) + ProtobufWire.field(2, string: help)
            + ProtobufWire.varintField(3, type)
        for metric in metrics { body += ProtobufWire.field(4, message: metric) }
        return ProtobufWire.varint(UInt64(body.count)) + body
    }

    private static func nativeHistogram(_ histogram: NativeHistogram) -> [UInt8] {
        var body = ProtobufWire.varintField(1, histogram.count) + ProtobufWire.fixed64(2, histogram.sum.bitPattern)
        for bucket in histogram.classic {
            body += ProtobufWire.field(
                3, message: ProtobufWire.varintField(1, bucket.count) + ProtobufWire.fixed64(2, bucket.bound.bitPattern)
            )
        }
        body += ProtobufWire.varintField(5, ProtobufWire.zigzag(0))  // schema 0
        body += ProtobufWire.fixed64(6, Double.leastNormalMagnitude.bitPattern)  // zero threshold
        body += ProtobufWire.varintField(7, histogram.zeroCount)
        let indices = histogram.buckets.keys.sorted()
        var previousEnd: Int?
        var spanStart = 0
        var spanLength = 0
        var spans: [(Int, Int)] = []
        for index in indices {
            if let end = previousEnd, index == end {
                spanLength += 1
            } else {
                if spanLength > 0 { spans.append((spanStart, spanLength)) }
                spanStart = index
                spanLength = 1
            }
            previousEnd = index + 1
        }
        if spanLength > 0 { spans.append((spanStart, spanLength)) }
        var last = 0
        for (start, length) in spans {
            body += ProtobufWire.field(
                12,
                message: ProtobufWire.varintField(1, ProtobufWire.zigzag(Int64(start - last)))
                    + ProtobufWire.varintField(2, UInt64(length)))
            last = start + length
        }
        var previous: Int64 = 0
        for index in indices {
            let count = Int64(histogram.buckets[index]!)
            body += ProtobufWire.varintField(13, ProtobufWire.zigzag(count - previous))
            previous = count
        }
        return body
    }

    private static func labelPairs(_ labels: [(String, String)]) -> [UInt8] {
        labels.flatMap {
            ProtobufWire.field(1, message: ProtobufWire.field(1, string: $0.0) + ProtobufWire.field(2, string: $0.1))
        }
    }
}
