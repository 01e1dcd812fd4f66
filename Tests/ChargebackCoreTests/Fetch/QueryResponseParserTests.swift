import Foundation
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// The one-pass reader of query answers: every shape the API sends, escapes, special values, and
/// every way a body can be broken.
final class QueryResponseParserTests: XCTestCase {
    func parse(_ text: String) throws -> QueryResponse {
        try Array(text.utf8).withUnsafeBytes { try QueryResponse.parse($0) }
    }

    func failure(_ text: String) -> JSONScanner.Failure? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error as? JSONScanner.Failure
        }
    }

    func testAMatrixWithEscapesSpecialValuesAndTimestampForms() throws {
        let body = #"""
            {"status":"success","data":{"resultType":"matrix","result":[
              {"metric":{"__name__":"m","team":"caf\u00e9 \"R&D\"\n","emoji":"\ud83d\ude00","slash":"a\/b"},
               "values":[[1790816399.999,"6306480"],[1790816400,"NaN"],[1790816400.5,"+Inf"],[1790816401.25,"-Inf"],
                         [1.7908164e9,"1.5e+06"],[1790816402.1234,"0.000123"]]}
            ]},"stats":{"timings":{"evalTotalTime":0.01}},"infos":["x"]}
            """#
        let response = try parse(body)
        XCTAssertEqual(response.status, "success")
        let series = try XCTUnwrap(response.result?.first)
        XCTAssertEqual(series.labels["team"], "café \"R&D\"\n")
        XCTAssertEqual(series.labels["emoji"], "😀")
        XCTAssertEqual(series.labels["slash"], "a/b")
        XCTAssertEqual(
            series.samples.map(\.0),
            [
                1_790_816_399_999, 1_790_816_400_000, 1_790_816_400_500, 1_790_816_401_250,
                1_790_816_400_000, 1_790_816_402_123,
            ])
        let values = series.samples.map(\.1)
        XCTAssertEqual(values[0], 6_306_480)
        XCTAssertTrue(values[1].isNaN)
        XCTAssertEqual(values[2], .infinity)
        XCTAssertEqual(values[3], -.infinity)
        XCTAssertEqual(values[4], 1_500_000)
        XCTAssertEqual(values[5], 0.000123)
    }

    func testVectorScalarErrorAndFieldsInAnyOrder() throws {
        let vector = try parse(
            #"{"data":{"result":[{"metric":{},"value":[1,"2"]}],"resultType":"vector"},"status":"success"}"#)
        XCTAssertEqual(vector.result?.first?.samples.first?.1, 2)
        let scalar = try parse(#"{"status":"success","data":{"resultType":"scalar","result":[1700000000.5,"42"]}}"#)
        XCTAssertEqual(scalar.result?.first?.samples.first?.0, 1_700_000_000_500)
        let error = try parse(
            #"{"status":"error","errorType":"bad_data","error":"parse error","data":null,"warnings":null}"#)
        XCTAssertEqual(error.status, "error")
        XCTAssertEqual(error.errorType, "bad_data")
        XCTAssertNil(error.result)
        let partial = try parse(
            #"{"status":"success","partialResponse":true,"warnings":["a","b"],"data":{"resultType":"matrix","result":[]}}"#
        )
        XCTAssertTrue(partial.isPartialAnswer)
        XCTAssertEqual(partial.warnings, ["a", "b"])
        XCTAssertEqual(partial.result?.count, 0)
    }

    func testBrokenBodiesSayWhatAndWhere() {
        XCTAssertEqual(
            failure(#"{"status":"success","data":{"resultType":"matrix","result":{}}}"#),
            .shape(path: "data.result", expected: "an array"))
        XCTAssertEqual(
            failure(
                #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[["x","1"]]}]}}"#),
            .shape(path: "data.result[0].values[0][0]", expected: "a number"))
        XCTAssertEqual(
            failure(#"{"status":"success","data":{"resultType":"matrix","result":[{"values":[[1,2]]}]}}"#),
            .shape(path: "data.result[0].values[0][1]", expected: "a string"))
        XCTAssertEqual(
            failure(#"{"status":"success","data":{"resultType":"matrix","result":[{"values":[[1,"x"]]}]}}"#),
            .invalid(path: "data.result[0].values[0][1]", detail: "bad sample value x"))
        XCTAssertEqual(
            failure(#"{"status":"success","data":{"resultType":"matrix","result":[{"values":[[1e300,"1"]]}]}}"#),
            .invalid(path: "data.result[0].values[0][0]", detail: "bad timestamp 1e+300"))
        XCTAssertEqual(failure(#"{"data":{}}"#), .missing(path: "", field: "status"))
        XCTAssertEqual(
            failure(#"{"status":"success","data":{"result":[]}}"#), .missing(path: "data", field: "resultType"))
        XCTAssertEqual(
            failure(#"{"status":"success","data":{"resultType":"histogram","result":[]}}"#),
            .invalid(path: "data.resultType", detail: "unknown resultType histogram"))
        XCTAssertEqual(failure("<html>Sign in</html>"), .malformed)
        XCTAssertEqual(failure(#"{"status":"success"} trailing"#), .malformed)
        XCTAssertEqual(failure(#"{"status":"succ\u12"}"#), .malformed)
        XCTAssertEqual(failure(#"{"status":"\ud800x"}"#), .malformed, "a lone surrogate")
        XCTAssertEqual(failure(#"{"status":01.}"#), .shape(path: "status", expected: "a string"))
    }

    /// Every prefix of a valid body (a cut-off download) is refused as truncated or malformed, never
    /// accepted and never a crash.
    func testEveryPrefixOfAValidBodyIsRefused() throws {
        let body =
            #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":"\u00e9\"x"},"values":[[1790816399.999,"1"],[1790816400,"NaN"]]}]},"warnings":["w"]}"#
        XCTAssertNoThrow(try parse(body))
        let bytes = Array(body.utf8)
        for length in 0..<bytes.count {
            let prefix = String(decoding: bytes[0..<length], as: UTF8.self)
            let result = failure(prefix)
            XCTAssertTrue(
                result == .truncated || result == .malformed, "prefix \(length): \(String(describing: result))")
        }
    }

    /// Random well-formed bodies agree with Foundation's JSON reading of the same text.
    func testRandomBodiesAgreeWithFoundation() throws {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<200 {
            var result: [[String: Any]] = []
            for _ in 0..<Int.random(in: 0...4, using: &generator) {
                var labels: [String: String] = [:]
                for _ in 0..<Int.random(in: 0...3, using: &generator) {
                    let scalars = (0..<Int.random(in: 0...6, using: &generator)).map { _ in
                        Character(
                            Unicode.Scalar(
                                [0x22, 0x5C, 0x0A, 0x41, 0xE9, 0x1F600, 0x7F, 0x2028]
                                    .randomElement(using: &generator)!)!)
                    }
                    labels["l\(Int.random(in: 0...9, using: &generator))"] = String(scalars)
                }
                let values = (0..<Int.random(in: 0...5, using: &generator)).map { _ -> [Any] in
                    [
                        Double(Int.random(in: 1_600_000_000_000...1_900_000_000_000, using: &generator)) / 1000,
                        String(Int.random(in: 0...Int(1e12), using: &generator)),
                    ]
                }
                result.append(["metric": labels, "values": values])
            }
            let object: [String: Any] = ["status": "success", "data": ["resultType": "matrix", "result": result]]
            let data = try JSONSerialization.data(withJSONObject: object)
            let parsed = try data.withUnsafeBytes { try QueryResponse.parse($0) }
            let series = try XCTUnwrap(parsed.result)
            XCTAssertEqual(series.count, result.count, "round \(round)")
            for (ours, theirs) in zip(series, result) {
                XCTAssertEqual(ours.labels, theirs["metric"] as? [String: String], "round \(round)")
                let expected = (theirs["values"] as? [[Any]] ?? []).map {
                    (Int64((($0[0] as! Double) * 1000).rounded()), Double($0[1] as! String)!)
                }
                XCTAssertEqual(ours.samples.map(\.0), expected.map(\.0), "round \(round)")
                XCTAssertEqual(ours.samples.map(\.1), expected.map(\.1), "round \(round)")
            }
        }
    }
}
