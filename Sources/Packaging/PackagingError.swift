import Core

/// Failures of packaging, promotion and model pulls that are not the OCI layer's own.
public enum PackagingError: SluiceError, Equatable {
    case usage(String)
    case runtime(String)

    public var exitStatus: ExitStatus {
        switch self {
        case .usage: return .usage
        case .runtime: return .runtime
        }
    }

    public var description: String {
        switch self {
        case .usage(let message), .runtime(let message): return message
        }
    }
}
