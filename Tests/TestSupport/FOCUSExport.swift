import Foundation

/// Whole-account FOCUS exports as clouds write them (space-separated UTC times, `NULL`, quoted
/// numbers, JSON `Tags`), written line by line so a file of a million lines costs no memory.
public enum FOCUSExport {
    /// FOCUS 1.0 columns as the FinOps Foundation's sample has them, plus 1.3's
    /// `ServiceProviderName`, `HostProviderName` and `SkuPriceDetails`.
    public static let header = [
        "AvailabilityZone", "BilledCost", "BillingAccountId", "BillingCurrency", "BillingPeriodEnd",
        "BillingPeriodStart", "ChargeCategory", "ChargeDescription", "ChargePeriodEnd", "ChargePeriodStart",
        "ConsumedQuantity", "ConsumedUnit", "HostProviderName", "ProviderName", "PricingUnit", "ResourceId",
        "ServiceCategory", "ServiceName", "ServiceProviderName", "SkuId", "SkuPriceDetails", "Tags",
    ]

    /// One charge: its service, ARN, what it says and its cost, on a day of October 2026 at an hour.
    public struct Charge: Sendable {
        public var service: String
        public var category: String
        public var resource: String
        public var description: String
        public var unit: String
        public var cost: String
        public var day: Int
        public var hour: Int = 0
        public var skuId = "2ETY8Y426S4237JU"

        public init(
            service: String, category: String, resource: String, description: String, unit: String, cost: String,
            day: Int, hour: Int = 0
        ) {
            self.service = service
            self.category = category
            self.resource = resource
            self.description = description
            self.unit = unit
            self.cost = cost
            self.day = day
            self.hour = hour
        }
    }

    /// A Bedrock charge of `model` (`anthropic.claude-sonnet-4-5-20250929-v1:0`), its model only in the ARN.
    public static func bedrock(_ model: String, _ type: String, cost: String, day: Int, hour: Int = 0) -> Charge {
        Charge(
            service: "Amazon Bedrock", category: "AI and Machine Learning",
            resource: "arn:aws:bedrock:us-east-1::foundation-model/\(model)",
            description: "Bedrock \(type) tokens", unit: "Tokens", cost: cost, day: day, hour: hour)
    }

    public static func ec2(cost: String, day: Int, hour: Int = 0) -> Charge {
        Charge(
            service: "Amazon Elastic Compute Cloud", category: "Compute",
            resource: "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc", description: "$0.0416 per On Demand t3",
            unit: "Hrs", cost: cost, day: day, hour: hour)
    }

    public static func s3(cost: String, day: Int, hour: Int = 0) -> Charge {
        Charge(
            service: "Amazon Simple Storage Service", category: "Storage", resource: "arn:aws:s3:::logs-bucket",
            description: "$0.023 per GB-Month of storage used", unit: "GB-Mo", cost: cost, day: day, hour: hour)
    }

    /// One CSV line of `charge`, with `\r\n` when `crlf`.
    public static func line(_ charge: Charge, crlf: Bool = false) -> String {
        let start = String(format: "2026-10-%02d %02d:00:00", charge.day, charge.hour)
        let end = String(format: "2026-10-%02d %02d:00:00", charge.day, charge.hour + 1)
        let fields = [
            "NULL", "\"\(charge.cost)\"", "\"123456789012\"", "USD", "\"2026-11-01 00:00:00\"",
            "\"2026-10-01 00:00:00\"", "Usage", quote(charge.description), "\"\(end)\"", "\"\(start)\"", "1.0",
            charge.unit, "AWS", "AWS", charge.unit, quote(charge.resource), quote(charge.category),
            quote(charge.service), "AWS", charge.skuId, "NULL",
            "\"{\"\"team\"\": \"\"=cmd|' /C calc'!A0\"\", \"\"env\"\": \"\"prod\"\"}\"",
        ]
        return fields.joined(separator: ",") + (crlf ? "\r\n" : "\n")
    }

    static func quote(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// The whole file of `charges`, with a BOM and CRLF when `windows`.
    public static func text(_ charges: [Charge], windows: Bool = false) -> String {
        (windows ? "\u{FEFF}" : "") + header.joined(separator: ",") + (windows ? "\r\n" : "\n")
            + charges.map { line($0, crlf: windows) }.joined()
    }

    /// Writes `count` lines to `url`: one Bedrock charge in every hundred (alternating two
    /// models), the others EC2 and S3, spread over October 2026.
    public static func write(lines count: Int, to url: URL) throws {
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var buffer = header.joined(separator: ",") + "\n"
        for index in 0..<count {
            let day = 1 + index % 31
            let hour = index / 31 % 23
            let charge =
                index % 100 == 0
                ? bedrock(
                    index % 200 == 0
                        ? "anthropic.claude-sonnet-4-5-20250929-v1:0" : "anthropic.claude-3-5-haiku-20241022-v1:0",
                    "output", cost: "0.015", day: day, hour: hour)
                : index % 2 == 0
                    ? ec2(cost: "0.0416", day: day, hour: hour) : s3(cost: "0.000767", day: day, hour: hour)
            buffer += line(charge)
            if buffer.utf8.count > 1 << 20 {
                try handle.write(contentsOf: Data(buffer.utf8))
                buffer = ""
            }
        }
        try handle.write(contentsOf: Data(buffer.utf8))
    }
}
