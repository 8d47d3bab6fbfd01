import CCurl
import Foundation

/// One request and response on a libcurl easy handle: no retries and no redirects, which
/// `HTTPClient` does itself. Bodies stream through the callbacks in libcurl's buffer size.
final class CurlExchange {
    /// A transport failure, with whether bytes already reached a sink (then it cannot be retried).
    struct Failed: Error {
        let error: Error
        let deliveredToSink: Bool
    }

    private let request: HTTPRequest
    private let destination: HTTPResponseDestination
    private var bodyFile: Int32 = -1
    private var dataOffset = 0
    private var sent: Int64 = 0
    private var status = 0
    private var headers = HTTPHeaders()
    private var memory = Data()
    private var outputFile: Int32 = -1
    private var received: Int64 = 0
    private var deliveredToSink = false
    private var failure: Error?

    /// Error bodies are kept for messages, never more than this.
    private static let errorBodyLimit = 1 << 20

    init(request: HTTPRequest, destination: HTTPResponseDestination) {
        self.request = request
        self.destination = destination
    }

    deinit {
        if bodyFile >= 0 { close(bodyFile) }
        if outputFile >= 0 { close(outputFile) }
    }

    func perform(on handle: UnsafeMutableRawPointer, configuration: HTTPClient.Configuration) throws -> HTTPResponse {
        curl_easy_reset(handle)
        // libcurl writes its detailed message here during perform, so the memory must stay put.
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        defer { errorBuffer.deallocate() }
        var list: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(list) }
        for field in request.headers {
            // libcurl drops a header given as "Name:"; "Name;" sends it empty.
            list = curl_slist_append(list, field.value.isEmpty ? "\(field.name);" : "\(field.name): \(field.value)")
        }
        // No "Expect: 100-continue" round trip before bodies.
        list = curl_slist_append(list, "Expect:")

        sluice_curl_setopt_string(handle, CURLOPT_URL, request.url.absoluteString)
        sluice_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        sluice_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        sluice_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
        sluice_curl_setopt_string(handle, CURLOPT_USERAGENT, configuration.userAgent)
        sluice_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(configuration.connectTimeout * 1000))
        if let total = configuration.timeout { sluice_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(total * 1000)) }
        if configuration.lowSpeedTime > 0 {
            sluice_curl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, configuration.lowSpeedLimit)
            sluice_curl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, Int(configuration.lowSpeedTime))
        }
        if let bundle = configuration.caBundle { sluice_curl_setopt_string(handle, CURLOPT_CAINFO, bundle) }
        if let proxy = configuration.proxy { sluice_curl_setopt_string(handle, CURLOPT_PROXY, proxy) }
        sluice_curl_setopt_pointer(handle, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(list))
        sluice_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer))

        let method = request.method.uppercased()
        let sendsBody = request.body != .empty || ["POST", "PUT", "PATCH"].contains(method)
        if method == "HEAD" {
            sluice_curl_setopt_long(handle, CURLOPT_NOBODY, 1)
        } else if method != "GET" || sendsBody {
            sluice_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method)
        }
        if sendsBody {
            if case .file(let path, let offset, _) = request.body {
                bodyFile = open(path, O_RDONLY | O_CLOEXEC)
                guard bodyFile >= 0 else { throw HTTPError(code: nil, message: "cannot read \(path): \(String(cString: strerror(errno)))") }
                if lseek(bodyFile, off_t(offset), SEEK_SET) < 0 { throw HTTPError(code: nil, message: "cannot seek in \(path)") }
            }
            sluice_curl_setopt_long(handle, CURLOPT_UPLOAD, 1)
            sluice_curl_setopt_offset(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(request.body.length))
            sluice_curl_setopt_read_function(handle) { buffer, size, count, context in
                Unmanaged<CurlExchange>.fromOpaque(context!).takeUnretainedValue().readBody(into: buffer!, capacity: size * count)
            }
        }
        if sendsBody {
            // libcurl rewinds the body when it resends on a fresh connection (a reused one was closed).
            sluice_curl_setopt_seek_function(handle) { context, offset, origin in
                Unmanaged<CurlExchange>.fromOpaque(context!).takeUnretainedValue().rewind(to: Int64(offset), origin: origin)
            }
            sluice_curl_setopt_pointer(handle, CURLOPT_SEEKDATA, Unmanaged.passUnretained(self).toOpaque())
        }
        sluice_curl_setopt_header_function(handle) { buffer, size, count, context in
            Unmanaged<CurlExchange>.fromOpaque(context!).takeUnretainedValue().header(buffer!, length: size * count)
        }
        sluice_curl_setopt_write_function(handle) { buffer, size, count, context in
            Unmanaged<CurlExchange>.fromOpaque(context!).takeUnretainedValue().write(buffer!, length: size * count)
        }
        let context = Unmanaged.passUnretained(self).toOpaque()
        sluice_curl_setopt_pointer(handle, CURLOPT_READDATA, context)
        sluice_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
        sluice_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context)

        let code = curl_easy_perform(handle)
        if let failure {
            throw Failed(error: failure, deliveredToSink: deliveredToSink)
        }
        guard code == CURLE_OK else {
            let detail = String(cString: errorBuffer)
            let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            let error = HTTPError(code: Int(code.rawValue), message: "\(request.method) \(Redaction.url(request.url.absoluteString)): \(message)")
            throw Failed(error: error, deliveredToSink: deliveredToSink)
        }
        if case .file(let path) = destination, isSuccess, outputFile < 0 {
            try openOutput(path) // an empty 2xx body still produces the (empty) file
        }
        return HTTPResponse(status: status, headers: headers, body: memory, url: request.url, bodyLength: received)
    }

    private var isSuccess: Bool { (200..<300).contains(status) }

    private func readBody(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        let remaining = Int(request.body.length - sent)
        let wanted = min(capacity, remaining)
        guard wanted > 0 else { return 0 }
        var count = 0
        switch request.body {
        case .empty:
            return 0
        case .data(let data):
            count = data.withUnsafeBytes { bytes in
                memcpy(buffer, bytes.baseAddress! + dataOffset, wanted)
                return wanted
            }
            dataOffset += count
        case .file(let path, _, _):
            count = read(bodyFile, buffer, wanted)
            if count <= 0 {
                let reason = count < 0 ? String(cString: strerror(errno)) : "the file is shorter than announced"
                failure = HTTPError(code: nil, message: "cannot read \(path): \(reason)")
                return Int(CURL_READFUNC_ABORT)
            }
        }
        sent += Int64(count)
        request.uploadProgress?(sent)
        return count
    }

    private func rewind(to offset: Int64, origin: Int32) -> Int32 {
        guard origin == SEEK_SET, offset >= 0, offset <= request.body.length else { return Int32(CURL_SEEKFUNC_CANTSEEK) }
        switch request.body {
        case .empty: break
        case .data: dataOffset = Int(offset)
        case .file(_, let start, _):
            if lseek(bodyFile, off_t(start + offset), SEEK_SET) < 0 { return Int32(CURL_SEEKFUNC_FAIL) }
        }
        sent = offset
        return Int32(CURL_SEEKFUNC_OK)
    }

    private func header(_ buffer: UnsafeMutablePointer<CChar>, length: Int) -> Int {
        let line = String(decoding: UnsafeRawBufferPointer(start: buffer, count: length), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") {
            // A new status line (after 1xx or a proxy's CONNECT reply) starts a new header block.
            let parts = line.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            headers = HTTPHeaders()
        } else if let colon = line.firstIndex(of: ":") {
            headers.add(String(line[..<colon]).trimmingCharacters(in: .whitespaces),
                        String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
        }
        return length
    }

    private func write(_ buffer: UnsafeMutablePointer<CChar>, length: Int) -> Int {
        received += Int64(length)
        let bytes = UnsafeRawBufferPointer(start: buffer, count: length)
        switch destination {
        case .file(let path) where isSuccess:
            do {
                if outputFile < 0 { try openOutput(path) }
                var offset = 0
                while offset < length {
                    let written = Foundation.write(outputFile, bytes.baseAddress! + offset, length - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw HTTPError(code: nil, message: "cannot write \(path): \(String(cString: strerror(errno)))")
                    }
                    offset += written
                }
            } catch {
                failure = error
                return 0
            }
        case .sink(let sink) where isSuccess:
            do {
                deliveredToSink = true
                try sink(bytes)
            } catch {
                failure = error
                return 0
            }
        case .memory:
            memory.append(contentsOf: bytes)
        default:
            if memory.count < Self.errorBodyLimit { memory.append(contentsOf: bytes.prefix(Self.errorBodyLimit - memory.count)) }
        }
        return length
    }

    private func openOutput(_ path: String) throws {
        outputFile = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if outputFile < 0 {
            throw HTTPError(code: nil, message: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}
