import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// Dead team rules: shadowed by an earlier rule (from the file alone), or taking none of the
/// usage a backend holds.
final class RuleReachTests: XCTestCase {
    func rule(_ match: [String: String], _ team: String, line: Int) -> TeamRule {
        TeamRule(match: match.mapValues(Glob.init), action: .team(team), origin: "teams.yaml:\(line)")
    }

    func testARuleAnEarlierRuleCoversIsShadowed() {
        let rules = [
            rule(["gateway": "kgateway-system/agentgateway1"], "Search", line: 5),
            rule(["gateway": "kgateway-system/agentgateway2", "model": "claude-*"], "Research", line: 7),
            // Shadowed by line 5: the same gateway, narrowed by model.
            rule(["gateway": "kgateway-system/agentgateway1", "model": "gpt-4o"], "Research", line: 9),
            // Not shadowed: line 7 is narrower (claude-* does not cover every model).
            rule(["gateway": "kgateway-system/agentgateway2"], "Search", line: 11),
            // Shadowed by line 11: a literal the earlier glob matches.
            rule(["gateway": "kgateway-system/agentgateway2", "model": "gpt-4o"], "Research", line: 13),
            rule(["gateway": "*"], "Search", line: 15),
            // Shadowed by the catch-all.
            rule(["gateway": "kgateway-system/agentgateway3"], "Research", line: 17),
            // A pattern the catch-all covers too, and two patterns neither of which is compared.
            rule(["gateway": "kgateway-*"], "Research", line: 19),
        ]
        let found = RuleReach.shadowed(rules)
        XCTAssertEqual(found.map(\.rule.origin), ["teams.yaml:9", "teams.yaml:13", "teams.yaml:17", "teams.yaml:19"])
        XCTAssertEqual(found.map(\.by.origin), ["teams.yaml:5", "teams.yaml:11", "teams.yaml:15", "teams.yaml:15"])
        XCTAssertEqual(RuleReach.shadowed(Array(rules.prefix(2))), [])
        XCTAssertFalse(Glob("kgateway-*").covers(Glob("kgateway-system/*1")), "two patterns are not compared")
        let messages = RuleReach.diagnostics(rules, teamsFile: "conf/teams.yaml")
        XCTAssertEqual(messages.first?.location, .file("conf/teams.yaml", line: 9))
        XCTAssertTrue(
            messages.first?.message.contains("the earlier rule at teams.yaml:5") == true, "\(messages)")
    }

    func testARuleThatTakesNoneOfTheUsageIsIdle() {
        let rules = [
            rule(["gateway": "gw1"], "Search", line: 5),
            rule(["gateway": "gw2", "model": "gpt-*"], "Research", line: 7),
            rule(["gateway": "gw9"], "Research", line: 9),
            rule(["gateway": "gw1", "model": "x"], "Research", line: 11),
        ]
        let usage: [[String: String]] = [["gateway": "gw1", "model": "x"], ["gateway": "gw2", "model": "gpt-5"]]
        let idle = RuleReach.idle(rules, usage: usage.map { labels in { labels[$0] ?? "" } })
        // Line 9 matches nothing seen; line 11 is shadowed, named as such and not again.
        XCTAssertEqual(idle.map(\.origin), ["teams.yaml:9"])
    }
}
