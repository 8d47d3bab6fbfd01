import Core
import Crypto
import Foundation
import HTTP

/// The distribution API of one registry: ping, authentication, manifests and blobs.
/// Safe to share between threads (parallel blob uploads share its token).
public final class RegistryClient: @unchecked Sendable {
    public struct Options: Sendable {
        public var credentials = CredentialStore()
        /// Hosts (`host[:port]`) spoken to over plain HTTP; loopback hosts always are.
        public var insecureRegistries: Set<String> = []
        /// Upload blobs in `PATCH` chunks of this many bytes; nil sends each in one `PUT`.
        public var chunkSize: Int?
        public var http = HTTPClient()
        public var progress = ProgressReporter(mode: .quiet)

        public init() {}
    }

    public let registry: String
    public let options: Options
    let baseURL: URL
    private let lock = NSLock()
    private var challenge: Challenge?
    private var pinged = false
    private var scopes: Set<String> = []
    private var token: String?

    public init(registry: String, options: Options) {
        self.registry = registry
        self.options = options
        baseURL = URL(string: "\(Self.usesPlainHTTP(registry, insecure: options.insecureRegistries) ? "http" : "https")://\(registry)")!
    }

    /// Plain HTTP only for loopback hosts and hosts the user named as insecure.
    static func usesPlainHTTP(_ registry: String, insecure: Set<String>) -> Bool {
        if insecure.contains(registry) { return true }
        let host = registry.hasPrefix("[") ? String(registry.dropFirst().prefix { $0 != "]" }) : String(registry.split(separator: ":").first ?? "")
        let octets = host.split(separator: ".")
        let ipv4Loopback = octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
        return host == "localhost" || ipv4Loopback || host == "::1"
    }

    // MARK: Requests with authentication

    /// Sends a request to the registry with the credentials the registry asks for, learning
    /// its challenge on the first call and extending the token's scope when a new one is asked.
    func send(_ request: HTTPRequest, scope: String?, into destination: HTTPResponseDestination = .memory) throws -> HTTPResponse {
        try pingOnce()
        if let scope { try ensureScope(scope) }
        var response = try options.http.send(authorized(request), into: destination)
        if response.status == 401, let header = response.headers["Www-Authenticate"], let next = Challenge(header) {
            lock.lock()
            challenge = next
            let newScope = next.parameters["scope"]
            let tokenBefore = token
            lock.unlock()
            if next.scheme == "bearer" {
                try refreshToken(adding: newScope.map { Set($0.split(separator: " ").map(String.init)) } ?? [], replacing: tokenBefore)
            }
            response = try options.http.send(authorized(request), into: destination)
        }
        if response.status == 401 {
            let hasCredential = try options.credentials.credential(for: registry) != nil
            throw OCIError.registry("\(registry) refused \(request.method) \(request.url.path) (401): \(hasCredential ? "the credentials were not accepted" : "authentication required; give --registry-user with --registry-password-stdin, CI_REGISTRY_USER/CI_REGISTRY_PASSWORD, or a docker login")")
        }
        return response
    }

    private func authorized(_ request: HTTPRequest) throws -> HTTPRequest {
        var request = request
        lock.lock()
        let current = challenge, bearer = token
        lock.unlock()
        if current?.scheme == "bearer", let bearer {
            request.headers.set("Authorization", "Bearer \(bearer)")
        } else if current?.scheme == "basic", let credential = try options.credentials.credential(for: registry) {
            request.headers.set("Authorization", "Basic \(Data("\(credential.username):\(credential.password)".utf8).base64EncodedString())")
        }
        return request
    }

    private func pingOnce() throws {
        lock.lock()
        let done = pinged
        lock.unlock()
        if !done { try ping() }
    }

    /// `GET /v2/`: checks the registry speaks the API and learns how it authenticates.
    public func ping() throws {
        let response = try options.http.send(HTTPRequest(url: baseURL.appendingPathComponent("v2/")))
        guard response.status == 200 || response.status == 401 else {
            throw OCIError.registry("\(baseURL.absoluteString) does not answer as an OCI registry (GET /v2/ gave \(response.status))")
        }
        lock.lock()
        pinged = true
        challenge = response.status == 401 ? response.headers["Www-Authenticate"].flatMap(Challenge.init) : nil
        lock.unlock()
    }

    private func ensureScope(_ scope: String) throws {
        lock.lock()
        let needed = challenge?.scheme == "bearer" && !scopes.contains(scope)
        lock.unlock()
        if needed { try refreshToken(adding: [scope], replacing: nil) }
    }

    /// Fetches a token for all scopes so far plus `extra` from the challenge's realm.
    private func refreshToken(adding extra: Set<String>, replacing stale: String?) throws {
        lock.lock()
        defer { lock.unlock() }
        if let stale, token != stale, extra.isSubset(of: scopes) { return } // another thread already refreshed
        scopes.formUnion(extra)
        guard let current = challenge, let realm = current.parameters["realm"], var components = URLComponents(string: realm) else {
            throw OCIError.registry("\(registry) asks for a bearer token without naming a realm")
        }
        if components.scheme == "http", !Self.usesPlainHTTP(components.host.map { h in components.port.map { "\(h):\($0)" } ?? h } ?? "", insecure: options.insecureRegistries) {
            throw OCIError.registry("\(registry)'s token realm \(realm) is plain HTTP; refusing to send credentials there")
        }
        var items = components.queryItems ?? []
        if let service = current.parameters["service"] { items.append(URLQueryItem(name: "service", value: service)) }
        items += scopes.sorted().map { URLQueryItem(name: "scope", value: $0) }
        components.queryItems = items
        var request = HTTPRequest(url: components.url!)
        if let credential = try options.credentials.credential(for: registry) {
            request.headers.set("Authorization", "Basic \(Data("\(credential.username):\(credential.password)".utf8).base64EncodedString())")
        }
        let response = try options.http.send(request)
        guard response.isSuccess else {
            throw OCIError.registry("the token service of \(registry) refused (\(response.status)) scopes \(scopes.sorted().joined(separator: " "))")
        }
        struct TokenResponse: Decodable {
            var token: String?
            var access_token: String?
        }
        let decoded = try CanonicalJSON.decode(TokenResponse.self, from: response.body, what: "the token response of \(registry)")
        guard let value = decoded.token ?? decoded.access_token, !value.isEmpty else {
            throw OCIError.registry("the token service of \(registry) answered without a token")
        }
        token = value
    }

    static func pullScope(_ repository: String) -> String { "repository:\(repository):pull" }
    static func pushScope(_ repository: String) -> String { "repository:\(repository):pull,push" }

    func url(_ repository: String, _ path: String) -> URL {
        URL(string: "\(baseURL.absoluteString)/v2/\(repository)/\(path)")!
    }

    /// A registry error's own words, from its `{"errors": [...]}` body when it sent one.
    static func explain(_ response: HTTPResponse) -> String {
        struct Errors: Decodable {
            struct Item: Decodable { var code: String?; var message: String? }
            var errors: [Item]
        }
        var parts = ["status \(response.status)"]
        if let decoded = try? JSONDecoder().decode(Errors.self, from: response.body), !decoded.errors.isEmpty {
            parts = [decoded.errors.map { [$0.code, $0.message].compactMap { $0 }.joined(separator: ": ") }.joined(separator: "; ")]
        }
        if let wait = response.declinedWaitExplanation { parts.append(wait) }
        return parts.joined(separator: "; ")
    }

    // MARK: Manifests

    /// The manifest or index `reference` names, its bytes, media type and digest.
    public func manifest(_ repository: String, _ reference: String) throws -> (data: Data, descriptor: Descriptor) {
        let accept = MediaType.manifestTypes.joined(separator: ", ")
        let response = try send(HTTPRequest(url: url(repository, "manifests/\(reference)"), headers: ["Accept": accept]), scope: Self.pullScope(repository))
        guard response.isSuccess else {
            throw OCIError.registry("\(registry)/\(repository)\(reference.hasPrefix("sha256:") ? "@" : ":")\(reference): cannot read the manifest (\(Self.explain(response)))")
        }
        let digest = Digest.of(response.body)
        if reference.hasPrefix("sha256:"), digest.description != reference {
            throw OCIError.invalid("\(registry)/\(repository)@\(reference): the manifest served has digest \(digest)")
        }
        let mediaType = response.headers["Content-Type"]?.split(separator: ";").first.map(String.init)
            ?? (try? JSONDecoder().decode(Index.self, from: response.body))?.mediaType ?? MediaType.ociManifest
        return (response.body, Descriptor(mediaType: mediaType, digest: digest, size: Int64(response.body.count)))
    }

    /// Whether the manifest `reference` exists, with its digest when it does.
    public func manifestDigest(_ repository: String, _ reference: String) throws -> Digest? {
        let accept = MediaType.manifestTypes.joined(separator: ", ")
        let response = try send(HTTPRequest(method: "HEAD", url: url(repository, "manifests/\(reference)"), headers: ["Accept": accept]), scope: Self.pullScope(repository))
        if response.status == 404 { return nil }
        guard response.isSuccess else { throw OCIError.registry("\(registry)/\(repository):\(reference): \(Self.explain(response))") }
        if let header = response.headers["Docker-Content-Digest"] { return try Digest(header) }
        return try manifest(repository, reference).descriptor.digest
    }

    /// Stores a manifest under a tag or its digest.
    public func putManifest(_ repository: String, _ reference: String, data: Data, mediaType: String) throws {
        let request = HTTPRequest(method: "PUT", url: url(repository, "manifests/\(reference)"), headers: ["Content-Type": mediaType], body: .data(data))
        let response = try send(request, scope: Self.pushScope(repository))
        guard response.status == 201 || response.isSuccess else {
            throw OCIError.registry("\(registry)/\(repository):\(reference): the manifest was refused (\(Self.explain(response)))")
        }
    }

    // MARK: Blobs

    /// Whether the repository has the blob.
    public func blobExists(_ repository: String, _ digest: Digest) throws -> Bool {
        let response = try send(HTTPRequest(method: "HEAD", url: url(repository, "blobs/\(digest)")), scope: Self.pullScope(repository))
        if response.status == 404 { return false }
        guard response.isSuccess else { throw OCIError.registry("\(registry)/\(repository): cannot check blob \(digest) (\(Self.explain(response)))") }
        return true
    }

    /// Downloads a blob into `layout`, checking its digest as it streams; a no-op when present.
    public func downloadBlob(_ repository: String, _ descriptor: Descriptor, into layout: ImageLayout) throws {
        guard !layout.hasBlob(descriptor.digest) else { return }
        let transfer = options.progress.start("\(descriptor.digest.hex.prefix(12))", total: descriptor.size)
        var lastError: Error?
        for _ in 0..<3 {
            let temporary = layout.temporaryPath()
            defer { unlink(temporary) }
            do {
                let file = try FileSink(path: temporary)
                let digesting = DigestingSink(next: file)
                let response = try send(HTTPRequest(url: url(repository, "blobs/\(descriptor.digest)")), scope: Self.pullScope(repository),
                                        into: .sink { bytes in
                                            try digesting.write(bytes)
                                            transfer.update(digesting.count)
                                        })
                guard response.isSuccess else {
                    throw OCIError.registry("\(registry)/\(repository): cannot download blob \(descriptor.digest) (\(Self.explain(response)))")
                }
                try digesting.finish()
                guard digesting.digest == descriptor.digest else {
                    throw OCIError.invalid("\(registry)/\(repository): blob \(descriptor.digest) arrived with digest \(digesting.digest)")
                }
                try layout.adoptBlob(at: temporary, digest: descriptor.digest)
                transfer.finish()
                return
            } catch let error as HTTPError {
                lastError = error // a connection cut mid-body: start the blob again
            }
        }
        throw lastError!
    }

    /// How a blob got into the repository.
    public enum UploadOutcome: String, Sendable {
        case existed, mounted, uploaded
    }

    /// Puts the blob at `path` into the repository: skipped when present, mounted from
    /// `mountFrom` (a repository of the same registry) when the registry agrees, uploaded
    /// otherwise. A failed upload is restarted from scratch twice.
    public func uploadBlob(_ repository: String, path: String, descriptor: Descriptor, mountFrom: String?) throws -> UploadOutcome {
        var lastError: Error = OCIError.registry("no upload attempted")
        for _ in 0..<3 {
            do {
                if try blobExists(repository, descriptor.digest) { return .existed }
                return try uploadOnce(repository, path: path, descriptor: descriptor, mountFrom: mountFrom)
            } catch let error as HTTPError {
                lastError = error
            } catch let error as OCIError {
                guard case .registry = error else { throw error }
                lastError = error
            }
        }
        throw lastError
    }

    private func uploadOnce(_ repository: String, path: String, descriptor: Descriptor, mountFrom: String?) throws -> UploadOutcome {
        let uploads = url(repository, "blobs/uploads/")
        var session: HTTPResponse?
        if let mountFrom, mountFrom != repository {
            try ensureScope(Self.pullScope(mountFrom))
            var components = URLComponents(url: uploads, resolvingAgainstBaseURL: false)!
            components.queryItems = [URLQueryItem(name: "mount", value: descriptor.digest.description), URLQueryItem(name: "from", value: mountFrom)]
            let response = try send(HTTPRequest(method: "POST", url: components.url!), scope: Self.pushScope(repository))
            if response.status == 201 { return .mounted }
            // 202 means "mount refused, here is an upload session instead"; anything else, start afresh.
            if response.status == 202 { session = response }
        }
        if session == nil { session = try send(HTTPRequest(method: "POST", url: uploads), scope: Self.pushScope(repository)) }
        guard let started = session, started.status == 202 else {
            throw OCIError.registry("\(registry)/\(repository): cannot start an upload (\(session.map(Self.explain) ?? "no answer"))")
        }
        var location = try Self.location(of: started)
        let transfer = options.progress.start(descriptor.digest.hex.prefix(12).description, total: descriptor.size)
        let progress: @Sendable (Int64) -> Void = { transfer.update($0) }
        if let chunk = options.chunkSize, descriptor.size > Int64(chunk) {
            var offset: Int64 = 0
            while offset < descriptor.size {
                let length = min(Int64(chunk), descriptor.size - offset)
                let request = HTTPRequest(method: "PATCH", url: location,
                                          headers: ["Content-Type": "application/octet-stream", "Content-Range": "\(offset)-\(offset + length - 1)"],
                                          body: .file(path: path, offset: offset, length: length),
                                          uploadProgress: { [offset] sent in progress(offset + sent) })
                let response = try send(request, scope: Self.pushScope(repository))
                guard response.status == 202 else {
                    throw OCIError.registry("\(registry)/\(repository): chunk at \(offset) of \(descriptor.digest) refused (\(Self.explain(response)))")
                }
                location = try Self.location(of: response)
                offset += length
            }
            try finishUpload(repository, at: location, digest: descriptor.digest, body: .empty, progress: nil)
        } else {
            try finishUpload(repository, at: location, digest: descriptor.digest, body: .file(path: path, length: descriptor.size), progress: progress)
        }
        transfer.finish()
        return .uploaded
    }

    private func finishUpload(_ repository: String, at location: URL, digest: Digest, body: HTTPBody, progress: (@Sendable (Int64) -> Void)?) throws {
        let request = HTTPRequest(method: "PUT", url: Self.adding(digest: digest, to: location), headers: ["Content-Type": "application/octet-stream"],
                                  body: body, uploadProgress: progress)
        let response = try send(request, scope: Self.pushScope(repository))
        guard response.status == 201 || response.status == 204 else {
            throw OCIError.registry("\(registry)/\(repository): upload of \(digest) refused (\(Self.explain(response)))")
        }
    }

    /// The upload session's `Location`, resolved against the URL that answered.
    static func location(of response: HTTPResponse) throws -> URL {
        guard let header = response.headers["Location"], let resolved = URL(string: header, relativeTo: response.url)?.absoluteURL else {
            throw OCIError.registry("the registry started an upload without a Location header")
        }
        return resolved
    }

    /// `url` with `digest=` added to whatever query (such as an upload state) it already has.
    static func adding(digest: Digest, to url: URL) -> URL {
        var components = URLComponents(url: url, resolvingAgainstBaseURL: true)!
        let item = "digest=" + digest.description.replacingOccurrences(of: ":", with: "%3A")
        components.percentEncodedQuery = [components.percentEncodedQuery, item].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "&")
        return components.url!
    }
}
