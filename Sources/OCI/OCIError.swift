import Core

/// Failures of image handling and registry exchanges.
public enum OCIError: SluiceError, Equatable {
    /// Content that does not follow the spec (a bad manifest, a digest mismatch).
    case invalid(String)
    /// A registry answered with an error.
    case registry(String)
    /// A path or name that would escape its directory.
    case unsafePath(String)
    /// Bad input from the user (a reference, a missing file).
    case usage(String)
    /// An image's content that would reach outside the directory it is extracted into (a
    /// link pointing out, a device, a write through a link): refused, exit 3.
    case unsafeContent(String)

    public var exitStatus: ExitStatus {
        switch self {
        case .usage, .unsafePath: return .usage
        case .invalid, .registry, .unsafeContent: return .runtime
        }
    }

    public var description: String {
        switch self {
        case .invalid(let message), .registry(let message), .unsafePath(let message), .usage(let message), .unsafeContent(let message): return message
        }
    }
}
