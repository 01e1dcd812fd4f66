import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// The EHLO name and TLS failures in words.
final class SMTPGreetingAndTLSTests: XCTestCase {
    func testTheGreetingNameIsFullyQualifiedOrAnAddressLiteral() {
        for valid in ["mail.example.com", "a-b.c9.example", "[127.0.0.1]", "[IPv6:::1]"] {
            XCTAssertTrue(SMTPHelloName.isValid(valid), valid)
        }
        for invalid in ["vm", "", "-a.example", "a..example", "[vm]", "[300.1.1.1]", "a b.example", "ä.example"] {
            XCTAssertFalse(SMTPHelloName.isValid(invalid), invalid)
        }
        XCTAssertEqual(
            SMTPHelloName.choose(configured: "relay.example.com", localAddress: "10.0.0.1"), "relay.example.com")
        let chosen = SMTPHelloName.choose(configured: nil, localAddress: "10.1.2.3")
        XCTAssertTrue(chosen == SMTPHelloName.hostFQDN || chosen == "[10.1.2.3]", chosen)
        XCTAssertTrue(SMTPHelloName.isValid(chosen), chosen)
        XCTAssertEqual(SMTPHelloName.literal("::1"), "[IPv6:::1]")
    }

    func testBoringSSLReasonsBecomeWordsWithoutBuildPaths() {
        let raw =
            "handshakeFailed(NIOSSL.BoringSSLError.sslError([Error: 268435581 error:1000007d:SSL "
            + "routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at /work/.build/checkouts/swift-nio-ssl/"
            + "Sources/CNIOBoringSSL/ssl/handshake.cc:299]))"
        XCTAssertEqual(SMTPTLSFailure.reasonNames(in: raw), ["CERTIFICATE_VERIFY_FAILED"])
        struct Raw: Error, CustomStringConvertible { let description: String }
        let text = SMTPTLSFailure.explain(Raw(description: raw), host: "mail.example.com")
        XCTAssertTrue(text.contains("not trusted") && text.contains("mail.smtp.ca_file"), text)
        XCTAssertFalse(text.contains("/"), text)
    }
}
