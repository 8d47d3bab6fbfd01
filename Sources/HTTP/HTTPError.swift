import Core
import Foundation

/// A failure to exchange a request and response (the network, not an HTTP status).
public struct HTTPError: SluiceError, Equatable {
    /// libcurl's error code, or nil for failures Sluice itself detects.
    public let code: Int?
    public let message: String

    public init(code: Int?, message: String) {
        self.code = code
        self.message = message
    }

    public var exitStatus: ExitStatus { .runtime }
    public var description: String { message }
}
