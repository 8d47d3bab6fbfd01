import Foundation

/// Solves symmetric positive definite systems, the one kind the built-in trainers need.
enum Cholesky {
    /// x with `matrix · x = vector`; nil when the matrix is not positive definite.
    /// `matrix` is row-major `n × n`.
    static func solve(_ matrix: [Double], _ vector: [Double]) -> [Double]? {
        let n = vector.count
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var sum = matrix[i * n + j]
                for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    guard sum > 0 else { return nil }
                    l[i * n + i] = sum.squareRoot()
                } else {
                    l[i * n + j] = sum / l[j * n + j]
                }
            }
        }
        var y = vector
        for i in 0..<n {
            for k in 0..<i { y[i] -= l[i * n + k] * y[k] }
            y[i] /= l[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            for k in (i + 1)..<n { y[i] -= l[k * n + i] * y[k] }
            y[i] /= l[i * n + i]
        }
        return y
    }
}

/// A design matrix with a leading column of ones for the intercept, stored by feature: a
/// numeric feature's standardised values (as a byte per row naming one of its values when
/// it has at most 256: counts, scores, flags), a categorical feature's category per row
/// (its one-hot block implied). Every sum adds the same nonzero terms in the same order as
/// a dense row-major matrix would, row by row and in each row in column order (a zero term
/// changes no sum), in a fraction of the memory: 8 bytes per numeric cell and 4 per
/// categorical one, where a dense matrix takes 8 per one-hot column.
final class Design {
    /// One feature's columns.
    enum Block {
        /// Standardised values, one per row.
        case numeric([Double])
        /// Standardised values as each row's index into `values` (at most 256 of them).
        case levels([UInt8], values: [Double])
        /// Each row's category in `0..<width` (-1: none, all zeros).
        case oneHot([Int32], width: Int)
    }

    let rows: Int
    let columns: Int
    private let blocks: [Stored]

    /// A block's storage: `numbers` (standardised values per row), `levels` (`numbers`
    /// holds the levels' values, `levelOfRow` each row's level) or `oneHot` (`codes`);
    /// `column` is its first design column.
    private struct Stored {
        enum Kind { case numbers, levels, oneHot }
        let kind: Kind
        let column: Int
        var numbers: UnsafeMutablePointer<Double>? = nil
        var levelOfRow: UnsafeMutablePointer<UInt8>? = nil
        var codes: UnsafeMutablePointer<Int32>? = nil
    }

    /// A design of `rows` rows from `blockCount` blocks, asking `block(i)` for each in column
    /// order and copying it before asking for the next, so a caller that hands over its only
    /// copy holds one block at a time beside the design.
    init(rows: Int, blockCount: Int, block: (Int) throws -> Block) rethrows {
        self.rows = rows
        var stored: [Stored] = []
        var column = 1
        do {
            for index in 0..<blockCount {
                switch try block(index) {
                case .numeric(let values):
                    precondition(values.count == rows)
                    let numbers = UnsafeMutablePointer<Double>.allocate(capacity: rows)
                    values.withUnsafeBufferPointer { numbers.initialize(from: $0.baseAddress!, count: rows) }
                    stored.append(Stored(kind: .numbers, column: column, numbers: numbers))
                    column += 1
                case .levels(let levelOfRow, let values):
                    precondition(levelOfRow.count == rows && values.count <= 256)
                    let levels = UnsafeMutablePointer<Double>.allocate(capacity: 256)
                    levels.initialize(repeating: 0, count: 256)
                    values.withUnsafeBufferPointer { levels.update(from: $0.baseAddress!, count: values.count) }
                    let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: rows)
                    levelOfRow.withUnsafeBufferPointer { bytes.initialize(from: $0.baseAddress!, count: rows) }
                    stored.append(Stored(kind: .levels, column: column, numbers: levels, levelOfRow: bytes))
                    column += 1
                case .oneHot(let values, let width):
                    precondition(values.count == rows)
                    let codes = UnsafeMutablePointer<Int32>.allocate(capacity: rows)
                    values.withUnsafeBufferPointer { codes.initialize(from: $0.baseAddress!, count: rows) }
                    stored.append(Stored(kind: .oneHot, column: column, codes: codes))
                    column += width
                }
            }
        } catch {
            Self.release(stored)
            throw error
        }
        blocks = stored
        columns = column
    }

    deinit { Self.release(blocks) }

    private static func release(_ blocks: [Stored]) {
        for block in blocks {
            block.numbers?.deallocate()
            block.levelOfRow?.deallocate()
            block.codes?.deallocate()
        }
    }

    /// Calls `body` for each row in order with its nonzero entries in column order: design
    /// column `index[a]` holds `value[a]` for `a` in `0..<count`. Only the entries at
    /// `positions` (0 the intercept, b + 1 block b; all by default) are read, and `body`
    /// is told where those from position `owned` on start (`first`).
    @inline(__always)
    private func forEachRow(in range: Range<Int>? = nil, positions: Range<Int>? = nil, owned: Int = 0,
                            _ body: (_ row: Int, _ index: UnsafePointer<Int>, _ value: UnsafePointer<Double>, _ count: Int, _ first: Int) -> Void) {
        let positions = positions ?? 0..<blocks.count + 1
        let intercept = positions.lowerBound == 0 ? 1 : 0
        // The blocks read, and the first of those owned.
        let read = max(positions.lowerBound, 1) - 1..<positions.upperBound - 1
        let split = min(max(owned - 1, read.lowerBound), read.upperBound)
        let capacity = blocks.count + 1
        let index = UnsafeMutablePointer<Int>.allocate(capacity: capacity), value = UnsafeMutablePointer<Double>.allocate(capacity: capacity)
        defer { index.deallocate(); value.deallocate() }
        index[0] = 0
        value[0] = 1
        blocks.withUnsafeBufferPointer { blocks in
            @inline(__always) func add(_ block: Stored, _ row: Int, _ count: inout Int) {
                // The pointers a block's kind has are set: unwrapped without a check.
                if block.kind != .oneHot {
                    let numbers = block.numbers.unsafelyUnwrapped
                    let number = block.kind == .numbers ? numbers[row] : numbers[Int(block.levelOfRow.unsafelyUnwrapped[row])]
                    if number != 0 {
                        index[count] = block.column
                        value[count] = number
                        count += 1
                    }
                } else {
                    let code = block.codes.unsafelyUnwrapped[row]
                    if code >= 0 {
                        index[count] = block.column + Int(code)
                        value[count] = 1
                        count += 1
                    }
                }
            }
            for row in range ?? 0..<rows {
                var count = intercept
                for b in read.lowerBound..<split { add(blocks[b], row, &count) }
                let first = owned == 0 ? 0 : count
                for b in split..<read.upperBound { add(blocks[b], row, &count) }
                body(row, index, value, count, first)
            }
        }
    }

    /// Xᵀ·diag(w)·X + l2 on the diagonal except the intercept's, each entry summed in row
    /// order. A large design's output rows are shared out between two threads (`parts`,
    /// by default `threads`), each reading the rows' entries up to its last output column
    /// and adding only to its own output rows, so every entry is the same sum, to the bit,
    /// as on one thread.
    func gram(weights: [Double]?, l2: Double, parts: Int? = nil) -> [Double] {
        var out = [Double](repeating: 0, count: columns * columns)
        let columns = columns
        // A part reads every position up to its last and sums, at each of its own positions
        // a, a + 1 products; reading an entry costs about as much as four products (perf).
        let owned = outputPositions(parts ?? threads) { range in 4 * range.upperBound + range.reduce(0) { $0 + $1 + 1 } }
        out.withUnsafeMutableBufferPointer { out in
            Self.inParallel(owned.count) { part in
                let mine = owned[part]
                forEachRow(positions: 0..<mine.upperBound, owned: mine.lowerBound) { row, index, value, count, first in
                    let w = weights?[row] ?? 1
                    for a in first..<count {
                        let xi = value[a] * w
                        if xi == 0 { continue }
                        let base = index[a] * columns
                        for b in 0...a { out[base + index[b]] += xi * value[b] }
                    }
                }
            }
        }
        for i in 0..<columns {
            for j in 0..<i { out[j * columns + i] = out[i * columns + j] }
            if i > 0 { out[i * columns + i] += l2 }
        }
        return out
    }

    /// Xᵀ·v, each entry summed in row order; a large design's entries are shared out
    /// between two threads, each reading only its own positions' entries.
    func transposeTimes(_ v: [Double], parts: Int? = nil) -> [Double] {
        var out = [Double](repeating: 0, count: columns)
        let owned = outputPositions(parts ?? threads) { $0.count }
        out.withUnsafeMutableBufferPointer { out in
            Self.inParallel(owned.count) { part in
                forEachRow(positions: owned[part]) { row, index, value, count, _ in
                    let scale = v[row]
                    if scale == 0 { return }
                    for a in 0..<count { out[index[a]] += value[a] * scale }
                }
            }
        }
        return out
    }

    /// The positions of a row's entries (0 the intercept, b + 1 block b) in at most `parts`
    /// contiguous ranges, the largest `cost` of a range as small as it can be.
    func outputPositions(_ parts: Int, cost: (Range<Int>) -> Int) -> [Range<Int>] {
        let count = blocks.count + 1
        // The ranges when each is extended while its cost stays within `limit`.
        func ranges(within limit: Int) -> [Range<Int>] {
            var ranges: [Range<Int>] = [], lower = 0
            for position in 1..<count + 1 where position == count || cost(lower..<position + 1) > limit {
                ranges.append(lower..<position)
                lower = position
            }
            return ranges
        }
        var low = 0, high = cost(0..<count)
        while low < high {
            let limit = (low + high) / 2
            if ranges(within: limit).count <= parts { high = limit } else { low = limit + 1 }
        }
        return ranges(within: low)
    }

    /// How many threads a product uses: two for a large design (`rowsPerThread`), else one.
    private var threads: Int { rows >= Self.rowsPerThread * 2 ? 2 : 1 }

    /// Runs `body(0..<parts)`, on several threads when `parts` > 1. A Dispatch apply, whose
    /// caller runs the parts no pool thread has taken: in `sluice run`, while the runtime
    /// layer's compression beside training keeps the pool busy, training's thread runs
    /// both parts rather than waiting for a thread that shares a core with that work
    /// (threads of their own, through `SideBySide`, made the train stage slower there).
    private static func inParallel(_ parts: Int, _ body: (Int) -> Void) {
        if parts == 1 { return body(0) }
        DispatchQueue.concurrentPerform(iterations: parts, execute: body)
    }

    /// X·β. Each row's sum is its own, so a large design's two halves are summed on two
    /// threads: the same numbers as one thread gives.
    func times(_ beta: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: rows)
        let halves = threads == 2 ? [0..<rows / 2, rows / 2..<rows] : [0..<rows]
        out.withUnsafeMutableBufferPointer { out in
            Self.inParallel(halves.count) { half in
                forEachRow(in: halves[half]) { row, index, value, count, _ in
                    var sum = 0.0
                    for a in 0..<count { sum += value[a] * beta[index[a]] }
                    out[row] = sum
                }
            }
        }
        return out
    }

    /// The fewest rows worth a thread of their own in `times` (and so the fewest per thread
    /// before `gram` and `transposeTimes`, which read every row on each, use two).
    static let rowsPerThread = 50_000

    /// X·Wᵀ for `k` weight vectors stored one after another in `w` (each `columns` long):
    /// row-major `rows × k`.
    func times(classes k: Int, _ w: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: rows * k)
        let columns = columns
        out.withUnsafeMutableBufferPointer { out in
            forEachRow { row, index, value, count, _ in
                for c in 0..<k {
                    var sum = 0.0
                    for a in 0..<count { sum += value[a] * w[c * columns + index[a]] }
                    out[row * k + c] = sum
                }
            }
        }
        return out
    }

    /// For each row, `coefficients(row, c)` for each of `k` blocks times the row:
    /// `out[c·columns + j] += coefficients(row, c)·x[row, j]` (the multinomial gradient).
    func transposeTimes(classes k: Int, _ coefficient: (_ row: Int, _ c: Int) -> Double) -> [Double] {
        var out = [Double](repeating: 0, count: k * columns)
        let columns = columns
        out.withUnsafeMutableBufferPointer { out in
            forEachRow { row, index, value, count, _ in
                for c in 0..<k {
                    let scale = coefficient(row, c)
                    for a in 0..<count { out[c * columns + index[a]] += scale * value[a] }
                }
            }
        }
        return out
    }

    /// Σᵣ Σ over class pairs (k, l ≤ k) of `weight(row, k, l)`·xᵣⱼ·xᵣₘ into the block (k, l)
    /// of a `(classes·columns)²` row-major matrix (the multinomial Hessian's lower blocks).
    func blockGram(classes: Int, _ weight: (_ row: Int, _ k: Int, _ l: Int) -> Double) -> [Double] {
        let p = columns, n = classes * p
        var out = [Double](repeating: 0, count: n * n)
        out.withUnsafeMutableBufferPointer { out in
            forEachRow { row, index, value, count, _ in
                for k in 0..<classes {
                    for l in 0...k {
                        let c = weight(row, k, l)
                        if c == 0 { continue }
                        for a in 0..<count {
                            let cx = c * value[a]
                            let base = (k * p + index[a]) * n + l * p
                            for b in 0..<count { out[base + index[b]] += cx * value[b] }
                        }
                    }
                }
            }
        }
        return out
    }
}

/// Ridge regression: minimises Σ(y − Xβ)² + l2·|w|² (intercept unpenalised), in closed form.
enum RidgeSolver {
    static func fit(_ design: Design, _ y: [Double], l2: Double) -> [Double]? {
        Cholesky.solve(design.gram(weights: nil, l2: l2), design.transposeTimes(y))
    }
}

/// L2-regularised logistic regression: minimises Σ log-loss + l2/2·|w|², intercept
/// unpenalised, by Newton's method (IRLS) to a gradient below `NewtonMinimiser.tolerance`.
enum LogisticSolver {
    static func fit(_ design: Design, _ y: [Double], l2: Double, maxIterations: Int) -> NewtonMinimiser.Solution? {
        // The line search asks for the loss and then the gradient at a candidate, and the
        // next iteration for the Hessian at the one accepted: X·β once per point.
        var last: (beta: [Double], z: [Double])?
        func linear(_ beta: [Double]) -> [Double] {
            if let last, last.beta.elementsEqual(beta, by: { $0.bitPattern == $1.bitPattern }) { return last.z }
            let z = design.times(beta)
            last = (beta, z)
            return z
        }
        return NewtonMinimiser.minimise(start: [Double](repeating: 0, count: design.columns), rows: design.rows, maxIterations: maxIterations,
            loss: { beta in loss(linear(beta), y, beta, l2) },
            gradient: { beta in
                let z = linear(beta)
                var gradient = design.transposeTimes(z.indices.map { sigmoid(z[$0]) - y[$0] })
                for i in 1..<design.columns { gradient[i] += l2 * beta[i] }
                return gradient
            },
            hessian: { beta in
                design.gram(weights: linear(beta).map { z in
                    let p = sigmoid(z)
                    return p * (1 - p)
                }, l2: l2)
            })
    }

    static func sigmoid(_ z: Double) -> Double {
        z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z))
    }

    /// Σ log(1 + e^z) − y·z for z = X·β, computed without overflow, plus the penalty.
    static func loss(_ z: [Double], _ y: [Double], _ beta: [Double], _ l2: Double) -> Double {
        var total = 0.0
        for (zi, yi) in zip(z, y) { total += max(zi, 0) + log1p(exp(-abs(zi))) - yi * zi }
        for i in 1..<beta.count { total += l2 / 2 * beta[i] * beta[i] }
        return total
    }
}
