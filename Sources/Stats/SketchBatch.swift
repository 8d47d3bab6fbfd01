/// A column's numbers on their way into its quantile and distinct-count sketches, added a
/// batch at a time once its exact value counts are given up.
///
/// Adding one number at a time interleaved every column's sketch work with the reading of
/// the row: each column's 4 KiB of HyperLogLog registers and its KLL buffer fell out of
/// the cache between its values (a tenth of profiling). A batch goes into each sketch in
/// one tight loop instead, in the order the numbers came, so the sketches are the same.
///
/// The storage is unmanaged (appending to an array checked its uniqueness per number):
/// whoever holds a batch calls `release()` once.
struct SketchBatch {
    /// Numbers held before they go into the sketches: 2 KiB a column.
    static let capacity = 256
    private var values: UnsafeMutablePointer<Double>?
    private var count = 0

    /// Holds `x`, then adds the batch to `profile`'s sketches when it is full.
    @inline(__always)
    mutating func add(_ x: Double, flushingInto profile: inout ColumnProfile) {
        if values == nil { values = .allocate(capacity: Self.capacity) }
        values.unsafelyUnwrapped[count] = x
        count &+= 1
        if count == Self.capacity {
            addHeld(to: &profile)
            count = 0
        }
    }

    /// Adds the numbers held to `profile`'s sketches (and keeps holding them).
    func addHeld(to profile: inout ColumnProfile) {
        guard let values, count > 0 else { return }
        let held = UnsafeBufferPointer(start: values, count: count)
        profile.distinctSketch.add(numbers: held)
        profile.quantileSketch.add(contentsOf: held)
    }

    /// Frees the storage.
    mutating func release() {
        values?.deallocate()
        values = nil
        count = 0
    }
}
