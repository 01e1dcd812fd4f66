import Foundation

/// The body of `/api/v1/series` (`{"status": …, "data": [{label: value, …}, …]}`), read in one
/// pass by ``JSONScanner``: a lookup of thousands of per-user series is megabytes of label sets.
struct SeriesListResponse {
    var status = ""
    var labelSets: [[String: String]]?
    var errorType: String?
    var error: String?

    /// - Throws: ``JSONScanner/Failure`` naming what is wrong and where.
    static func parse(_ bytes: UnsafeRawBufferPointer) throws -> SeriesListResponse {
        var scanner = JSONScanner(bytes)
        var response = SeriesListResponse()
        var sawStatus = false
        var interned = Set<String>()
        try scanner.object(at: "") { scanner, key in
            switch key {
            case "status":
                response.status = try scanner.string(at: "status")
                sawStatus = true
            case "data":
                if try scanner.takeNull() { return }
                var sets: [[String: String]] = []
                try scanner.array(at: "data") { scanner, index in
                    sets.append(try QueryResponse.parseLabels(&scanner, path: "data[\(index)]", intern: &interned))
                }
                response.labelSets = sets
            case "errorType": response.errorType = try scanner.takeNull() ? nil : try scanner.string(at: "errorType")
            case "error": response.error = try scanner.takeNull() ? nil : try scanner.string(at: "error")
            default: try scanner.skipValue()
            }
        }
        guard scanner.atEnd() else { throw JSONScanner.Failure.malformed }
        guard sawStatus else { throw JSONScanner.Failure.missing(path: "", field: "status") }
        return response
    }
}
