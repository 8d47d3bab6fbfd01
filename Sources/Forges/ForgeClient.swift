import Core
import HTTP

extension HTTPClient {
    /// The client Sluice talks to forges with: its user agent, the CA bundle of a
    /// self-managed instance (`caBundle`, else GitLab's `CI_SERVER_TLS_CA_FILE`), and when
    /// `verbose` a redacted trace on stderr.
    public static func forForges(caBundle: String? = nil, environment: [String: String], verbose: Bool) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.caBundle = caBundle ?? environment["CI_SERVER_TLS_CA_FILE"]
        configuration.userAgent = "sluice/\(SluiceBuild.version)"
        if verbose { configuration.trace = { Diagnostics.line("http: \($0)") } }
        return HTTPClient(configuration: configuration)
    }
}
