import Foundation
import XCTest

@testable import ChargebackMeasure

/// A query answer read as it arrives (``ResultStream``) is the answer read whole, in any cut of
/// its bytes, and what it keeps of the body is the document without its series.
final class ResultStreamTests: XCTestCase {
    static let bodies = [
        #"""
        {"status":"success","data":{"resultType":"matrix","result":[
          {"metric":{"__name__":"m","team":"caf\u00e9 \"R&D\"\n","emoji":"\ud83d\ude00","slash":"a\/b","x{":"[,]"}, "values":[[1790816399.999,"6306480"],[1790816400,"NaN"],[1.7908164e9,"1.5e+06"]]} ,
          {"values":[[1790816401,"7"]],"metric":{"team":"b"}}
        ]},"stats":{"timings":{"evalTotalTime":0.01}},"infos":["x"]}
        """#,
        #"{"data":{"result":[{"metric":{},"value":[1,"2"]},{"metric":{"a":"b"},"value":[2,"3"]}],"resultType":"vector"},"status":"success"}"#,
        #"{"status":"success","data":{"resultType":"scalar","result":[1700000000.5,"42"]}}"#,
        #"{"status":"error","errorType":"bad_data","error":"parse error","data":null,"warnings":null}"#,
        #"{"status":"success","partialResponse":true,"warnings":["a","b"],"data":{"resultType":"matrix","result":[]}}"#,
        #"{"status":"success","data":{"resultType":"matrix","result":{}}}"#,
        #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1"]]},{"metric":{},"values":[["x","1"]]}]}}"#,
        #"{"status":"success","data":{"resultType":"matrix","result":[{"values":[[1,"x"]]}]}}"#,
        #"{"data":{}}"#,
        #"{"status":"success","data":{"result":[]}}"#,
        "<html>Sign in</html>",
        #"{"status":"success"} trailing"#,
        #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":"b"},"values":[[1,"1"]]}"#,
        #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":"b"},"values":[[1,"1"]]}]"#,
        #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":"b"},"values":[[1,"1"]]}]}}"#,
        #"{"status":"success","data":{"other":{"result":[{"metric":{}}]},"resultType":"vector","result":[]}}"#,
    ]

    /// What a read gave: the answer's fields in text, or the failure.
    static func outcome(_ read: () throws -> QueryResponse) -> String {
        do {
            let response = try read()
            let series = (response.result ?? []).map { series in
                "\(series.labels.sorted { $0.key < $1.key }) \(series.samples.map { "\($0.0):\($0.1)" })"
                    + " \(String(describing: series.histogramCounts))"
            }
            return "\(response.status) \(String(describing: response.errorType)) \(String(describing: response.error)) "
                + "\(String(describing: response.warnings)) \(response.isPartialAnswer) "
                + "\(response.result == nil ? "nil" : "\(series)")"
        } catch {
            return "failure \(error)"
        }
    }

    static func streamed(_ bytes: [UInt8], chunk: Int) throws -> QueryResponse {
        var stream = ResultStream()
        var start = 0
        while start < bytes.count {
            let end = min(start + chunk, bytes.count)
            try bytes[start..<end].withUnsafeBytes { try stream.feed($0) }
            start = end
        }
        return try stream.finish()
    }

    func testEveryCutOfEveryBodyReadsAsTheWholeBody() {
        for body in Self.bodies {
            let bytes = Array(body.utf8)
            let whole = Self.outcome { try bytes.withUnsafeBytes { try QueryResponse.parse($0) } }
            for chunk in [1, 2, 3, 5, 8, 13, 64, bytes.count + 1] {
                XCTAssertEqual(Self.outcome { try Self.streamed(bytes, chunk: chunk) }, whole, "\(chunk): \(body)")
            }
        }
    }

    func testEveryPrefixOfAValidBodyIsRefused() {
        let bytes = Array(Self.bodies[0].utf8)
        for length in 0..<bytes.count {
            XCTAssertTrue(
                Self.outcome { try Self.streamed(Array(bytes[0..<length]), chunk: 7) }.hasPrefix("failure"),
                "prefix \(length)")
        }
    }

    /// A thousand series are decoded as they come: what is kept of the body is its frame.
    func testTheSeriesAreNotKeptAsText() throws {
        let series = (0..<1000).map { index in
            #"{"metric":{"pod":"agentgateway1-7c9f8d6b5-x2k4p","user_id":"user-\#(index)"},"values":[[1,"\#(index)"],[2,"\#(index + 1)"]]}"#
        }
        let body =
            #"{"status":"success","data":{"resultType":"matrix","result":["# + series.joined(separator: ",") + "]}}"
        var stream = ResultStream()
        let bytes = Array(body.utf8)
        for start in stride(from: 0, to: bytes.count, by: 4096) {
            try bytes[start..<min(start + 4096, bytes.count)].withUnsafeBytes { try stream.feed($0) }
        }
        XCTAssertEqual(
            String(decoding: stream.rest, as: UTF8.self),
            #"{"status":"success","data":{"resultType":"matrix","result":[]}}"#)
        let response = try stream.finish()
        XCTAssertEqual(response.result?.count, 1000)
        XCTAssertEqual(response.result?[999].labels["user_id"], "user-999")
        XCTAssertEqual(response.result?[999].samples.map(\.1), [999, 1000])
    }
}
