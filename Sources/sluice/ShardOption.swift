import Core
import Foundation
import Tabular

/// Reads `--shard`, shared by the commands that can read a share of a table.
enum ShardOption {
    static let help = "Read only share i of N (1-based): whole files of a dataset, row groups of a Parquet file, or a byte range of one plain CSV cut at record starts; 'ci' takes CI_NODE_INDEX/CI_NODE_TOTAL (GitLab parallel:)."

    /// The share `--shard` names: `i/N`, or `ci` for GitLab `parallel:`'s variables.
    static func resolve(_ value: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> TableShare? {
        guard let value else { return nil }
        if value == "ci" {
            guard let share = TableShare.fromEnvironment(environment) else {
                throw Failure.usage("--shard ci needs CI_NODE_INDEX and CI_NODE_TOTAL (set by GitLab's parallel: keyword), with 1 <= CI_NODE_INDEX <= CI_NODE_TOTAL")
            }
            return share
        }
        guard let share = TableShare(parsing: value) else {
            throw Failure.usage("--shard \(value): expected i/N with 1 <= i <= N (for example 2/4), or ci")
        }
        return share
    }

    /// One line for the job log: which share was read and how many bytes that took.
    static func report(_ share: TableShare, bytesRead: Int, of data: String) {
        Diagnostics.line("shard \(share) of \(data): read \(bytesRead) bytes")
    }
}

/// Notes how many bytes a pass read, riding along it.
final class BytesReadObserver: ProgressObserver {
    private weak var reader: TableReader?
    private(set) var bytesRead = 0

    func begin(_ reader: TableReader) throws { self.reader = reader }
    func observe(_ reader: TableReader) {}
    func advanced(to bytes: Int) { bytesRead = bytes }
    func finish() throws { bytesRead = max(bytesRead, reader?.bytesConsumed ?? 0) }
}
