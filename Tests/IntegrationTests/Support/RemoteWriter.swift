import AsyncHTTPClient
import Foundation
import NIOCore
import TestSupport

/// Writes a history of float and native histogram samples into a Prometheus started with
/// `--web.enable-remote-write-receiver` (and `--enable-feature=native-histograms`): remote write
/// 1.0, a `prometheus.WriteRequest` protobuf, snappy-framed as literals only (valid snappy, not
/// compressed). Prometheus 2.42 stores native histograms sent so; a fresh TSDB accepts old
/// timestamps as long as each request goes forward in time, so a history is sent in time order.
enum RemoteWriter {
    /// One native histogram sample of schema 0 (bucket `i` holds values in `(2^(i-1), 2^i]`).
    struct Histogram {
        var millis: Int64
        var count: UInt64
        var sum: Double
        var buckets: [Int: UInt64]
    }

    /// One series: its labels (`__name__` included) and its samples of either kind, in time order.
    struct Series {
        var labels: [String: String]
        var floats: [(Int64, Double)] = []
        var histograms: [Histogram] = []
    }

    /// Sends `series` in one request.
    static func send(_ series: [Series], to url: String) async throws {
        var request = HTTPClientRequest(url: url + "/api/v1/write")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-protobuf")
        request.headers.add(name: "Content-Encoding", value: "snappy")
        request.headers.add(name: "X-Prometheus-Remote-Write-Version", value: "0.1.0")
        request.body = .bytes(ByteBuffer(bytes: snappyLiterals(encode(series))))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        guard (200..<300).contains(Int(response.status.code)) else {
            let body = String(buffer: try await response.body.collect(upTo: 1 << 16))
            throw NSError(
                domain: "RemoteWriter", code: Int(response.status.code),
                userInfo: [NSLocalizedDescriptionKey: "remote write answered \(response.status): \(body)"])
        }
    }

    static func encode(_ series: [Series]) -> [UInt8] {
        series.flatMap { series in
            var body = series.labels.sorted { $0.key < $1.key }.flatMap {
                ProtobufWire.field(
                    1, message: ProtobufWire.field(1, string: $0.key) + ProtobufWire.field(2, string: $0.value))
            }
            for (millis, value) in series.floats {
                body += ProtobufWire.field(
                    2,
                    message: ProtobufWire.fixed64(1, value.bitPattern)
                        + ProtobufWire.varintField(2, UInt64(bitPattern: millis)))
            }
            for histogram in series.histograms { body += ProtobufWire.field(4, message: encode(histogram)) }
            return ProtobufWire.field(1, message: body)
        }
    }

    private static func encode(_ histogram: Histogram) -> [UInt8] {
        var body = ProtobufWire.varintField(1, histogram.count) + ProtobufWire.fixed64(3, histogram.sum.bitPattern)
        body += ProtobufWire.varintField(4, 0)  // schema 0 (sint32 zigzag)
        body += ProtobufWire.fixed64(5, (1e-128).bitPattern) + ProtobufWire.varintField(6, 0)
        let indices = histogram.buckets.keys.sorted()
        var spans: [(start: Int, length: Int)] = []
        for index in indices {
            if let last = spans.last, last.start + last.length == index {
                spans[spans.count - 1].length += 1
            } else {
                spans.append((index, 1))
            }
        }
        var end = 0
        for span in spans {
            body += ProtobufWire.field(
                11,
                message: ProtobufWire.varintField(1, ProtobufWire.zigzag(Int64(span.start - end)))
                    + ProtobufWire.varintField(2, UInt64(span.length)))
            end = span.start + span.length
        }
        var previous: Int64 = 0
        for index in indices {
            let count = Int64(histogram.buckets[index]!)
            body += ProtobufWire.varintField(12, ProtobufWire.zigzag(count - previous))
            previous = count
        }
        return body + ProtobufWire.varintField(15, UInt64(bitPattern: histogram.millis))
    }

    /// Snappy's block format with literals only: the length, then literal runs of at most 64 KiB.
    static func snappyLiterals(_ bytes: [UInt8]) -> [UInt8] {
        var out = ProtobufWire.varint(UInt64(bytes.count))
        var start = 0
        while start < bytes.count {
            let end = min(start + 65536, bytes.count)
            let length = end - start - 1
            if length < 60 {
                out.append(UInt8(length << 2))
            } else if length < 256 {
                out += [60 << 2, UInt8(length)]
            } else {
                out += [61 << 2, UInt8(length & 0xff), UInt8(length >> 8)]
            }
            out += bytes[start..<end]
            start = end
        }
        return out
    }

    /// The bucket of schema 0 holding `value` (> 0).
    static func bucket(of value: Double) -> Int {
        let (fraction, exponent) = frexp(value)
        return fraction == 0.5 ? exponent - 1 : exponent
    }
}
