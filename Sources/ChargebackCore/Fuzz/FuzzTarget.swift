import ChargebackConfig
import ChargebackDeliver
import ChargebackMeasure
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation

/// A fuzzed parser, named as `scripts/fuzz.sh` and the folders of `Tests/Fuzz/Corpus` name it.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case config, pricing, teams, period
    case queryResponse = "query-response"
    case invoiceFOCUS = "invoice-focus"
    case invoiceAnthropic = "invoice-anthropic"
    case invoiceOpenAI = "invoice-openai"

    /// Feeds `bytes` to the target's ``FuzzEntryPoints`` call and checks the answer with ``FuzzInvariants``.
    public func run(_ bytes: [UInt8]) -> FuzzOutcome {
        do {
            let violations: [String]
            switch self {
            case .config: violations = FuzzInvariants.check(try FuzzEntryPoints.parseConfig(bytes))
            case .pricing: violations = FuzzInvariants.check(try FuzzEntryPoints.parsePriceBook(bytes))
            case .teams: violations = FuzzInvariants.check(try FuzzEntryPoints.parseTeamBook(bytes))
            case .period: violations = FuzzInvariants.check(try FuzzEntryPoints.parsePeriod(bytes))
            case .queryResponse:
                let samples = try FuzzEntryPoints.decodeQueryResponse(bytes)
                violations = samples >= 0 ? [] : ["negative sample count"]
            case .invoiceFOCUS, .invoiceAnthropic, .invoiceOpenAI:
                violations = FuzzInvariants.check(try FuzzEntryPoints.parseInvoice(bytes))
            }
            return FuzzOutcome(error: nil, violations: violations)
        } catch {
            return FuzzOutcome(error: error, violations: FuzzInvariants.check(error, from: self))
        }
    }
}

/// What one input did: parsed (``error`` is `nil`) or rejected, and which invariants it broke.
public struct FuzzOutcome {
    public let error: Error?
    /// Empty when the answer is acceptable; the fuzzer treats anything else as a crash.
    public let violations: [String]
}
