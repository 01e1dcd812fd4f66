import Foundation

/// Controlled rounding of a flow network: every arc's amount goes to the whole unit just below or
/// just above it, and every node still balances, so every total the network holds is a sum of
/// rounded parts and within one unit of its exact amount.
///
/// The ledger builds a network whose arcs are the sets it must keep (the grand total, each team,
/// each team's row, each cell, each line, each key, model and gateway); the two chains of nested
/// sets (team ⊃ row ⊃ cell, and gateway ⊃ model ⊃ key ⊃ line ⊃ cell) meet at the cells. Such a
/// network always has a rounding of this kind, and this finds one by cycle cancelling, the
/// constructive proof of that fact (the method behind Cox's controlled rounding of two-way
/// tables): while an arc is fractional, its node has another fractional arc (the node's inflow
/// and outflow are whole), so the fractional arcs contain a cycle; shifting an amount around it
/// (up on arcs walked forwards, down on arcs walked backwards) keeps every node balanced and makes
/// at least one more arc whole. Each arc only moves inside its own unit, so it ends on its floor
/// or its ceiling. One arc (the grand total) can be steered to a chosen end.
///
/// Amounts are integers in a fine quantum (``Ledger/unitsPerCent`` per cent), so the arithmetic is
/// exact and the balance at every node is exact.
package struct ControlledRounding {
    private(set) var from: [Int32] = []
    private(set) var to: [Int32] = []
    private var nodeCount = 0

    /// Adds a node and returns its index.
    mutating func addNode() -> Int {
        nodeCount += 1
        return nodeCount - 1
    }

    /// Adds an arc from node `source` to node `target`, and returns its index.
    @discardableResult
    mutating func addArc(_ source: Int, _ target: Int) -> Int {
        from.append(Int32(source))
        to.append(Int32(target))
        return from.count - 1
    }

    /// Rounds every arc's amount to a multiple of `unit`.
    ///
    /// Which of its two ends an arc takes is free within the rule; on each cycle the arc of the
    /// highest `priority` is moved towards its nearest multiple (half up), so the figures that
    /// matter most (teams, then chargeback rows, then keys) end nearest where they can.
    /// - Parameters:
    ///   - amounts: each arc's exact amount, in arc order.
    ///   - priority: each arc's rank (higher first); the steered arc outranks all.
    ///   - steer: an arc and the multiple of `unit` it must end on (its floor or its ceiling).
    /// - Returns: each arc's rounded amount in units of `unit`.
    /// - Precondition: every node balances (inflow = outflow).
    func rounded(_ amounts: [Int128], unit: Int128, priority: [UInt8], steer: (arc: Int, target: Int128)? = nil)
        -> [Int64]
    {
        var value = amounts
        let arcs = value.count
        // Each arc's goal: the steered arc's target, else its nearest multiple (half up).
        var goal = amounts.map { amount -> Int128 in
            var whole = amount / unit
            var rest = amount % unit
            if rest < 0 {
                whole -= 1
                rest += unit
            }
            return (2 * rest >= unit ? whole + 1 : whole) * unit
        }
        var rank = priority
        if let steer {
            goal[steer.arc] = steer.target * unit
            rank[steer.arc] = .max
        }
        func fraction(_ arc: Int) -> Int128 {
            let rest = value[arc] % unit
            return rest < 0 ? rest + unit : rest
        }
        // Each arc has two ends: 2a at `from`, 2a+1 at `to`, in a doubly linked list per node.
        var head = [Int32](repeating: -1, count: nodeCount)
        var next = [Int32](repeating: -1, count: 2 * arcs)
        var previous = [Int32](repeating: -1, count: 2 * arcs)
        func node(ofEnd end: Int) -> Int { Int(end & 1 == 0 ? from[end >> 1] : to[end >> 1]) }
        func link(_ end: Int) {
            let owner = node(ofEnd: end)
            next[end] = head[owner]
            if head[owner] >= 0 { previous[Int(head[owner])] = Int32(end) }
            head[owner] = Int32(end)
        }
        func unlink(_ end: Int) {
            let owner = node(ofEnd: end)
            if previous[end] >= 0 { next[Int(previous[end])] = next[end] } else { head[owner] = next[end] }
            if next[end] >= 0 { previous[Int(next[end])] = previous[end] }
        }
        for arc in (0..<arcs).reversed() where fraction(arc) != 0 {
            link(2 * arc)
            link(2 * arc + 1)
        }
        // The walk: nodes on the path, and the end by which each next arc left its node.
        var onPath = [Int32](repeating: -1, count: nodeCount)
        var pathNodes: [Int] = []
        var pathEnds: [Int] = []
        for start in 0..<nodeCount {
            while head[start] >= 0 {
                pathNodes = [start]
                pathEnds = []
                onPath[start] = 0
                while let last = pathNodes.last {
                    let arrival = pathEnds.last.map { $0 >> 1 }
                    var end = Int(head[last])
                    if end >= 0 && (end >> 1) == arrival { end = Int(next[end]) }
                    guard end >= 0 else {
                        // Only the path's first node can run out of arcs (every other node keeps
                        // its arrival arc, and a balanced node never has one fractional arc).
                        precondition(pathNodes.count == 1, "controlled rounding: an unbalanced node")
                        onPath[last] = -1
                        pathNodes.removeAll()
                        break
                    }
                    let arc = end >> 1
                    let other = Int(end & 1 == 0 ? to[arc] : from[arc])
                    let position = Int(onPath[other])
                    if position < 0 {
                        onPath[other] = Int32(pathNodes.count)
                        pathNodes.append(other)
                        pathEnds.append(end)
                        continue
                    }
                    // A cycle: the path from `other` on, closed by `arc`.
                    let cycle = Array(pathEnds[position...]) + [end]
                    // Walking forwards along an arc (leaving by its `from` end) raises it.
                    func room(_ raise: Bool) -> Int128 {
                        var least = unit
                        for end in cycle {
                            let up = (end & 1 == 0) == raise
                            let rest = fraction(end >> 1)
                            least = min(least, up ? unit - rest : rest)
                        }
                        return least
                    }
                    var leader = cycle[0]
                    for end in cycle where rank[end >> 1] > rank[leader >> 1] { leader = end }
                    let up = value[leader >> 1] < goal[leader >> 1]
                    let raise = (leader & 1 == 0) == up
                    let shift = room(raise)
                    for end in cycle {
                        let arc = end >> 1
                        value[arc] += (end & 1 == 0) == raise ? shift : -shift
                        if fraction(arc) == 0 {
                            unlink(2 * arc)
                            unlink(2 * arc + 1)
                        }
                    }
                    for node in pathNodes[(position + 1)...] { onPath[node] = -1 }
                    pathNodes.removeSubrange((position + 1)...)
                    pathEnds.removeSubrange(position...)
                }
            }
        }
        return value.map { amount in
            let whole = amount / unit
            return Int64(amount % unit < 0 ? whole - 1 : whole)
        }
    }
}
