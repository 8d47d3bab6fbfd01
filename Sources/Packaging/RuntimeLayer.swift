import Core
import Foundation
import OCI

/// The layer that makes an image serve with no Python and no distribution in it: the `sluice`
/// binary, exactly the shared libraries the loader resolves for it, CA certificates and (on
/// `scratch`) a minimal `/etc/passwd` and `/etc/group` with a non-root user.
///
/// The libraries go into a directory of their own and the entrypoint runs the loader with
/// `--library-path`, so they never clash with a base image's own libc or its usr-merged
/// `/lib` symlinks, and the same layer works on `scratch`, busybox or a Python image.
public enum RuntimeLayer {
    public static let name = "runtime"
    public static let binary = "/usr/local/bin/sluice"
    public static let libraries = "/usr/local/lib/sluice"
    public static let certificates = "/etc/ssl/certs/ca-certificates.crt"
    /// The port `sluice serve` listens on in the image.
    public static let port = 8080
    /// The non-root user (and group) the image runs as.
    public static let uid = 65532
    public static let userName = "sluice"

    /// The layer's files. `staging` receives the generated account files (on scratch only).
    static func files(program: String, certificates hostCertificates: String?, accounts: Bool, staging: String) throws -> (files: [FileMapping], loader: String?) {
        let closure = try SharedLibraries.closure(of: program)
        var files = [FileMapping(source: realPath(program), target: binary)]
        var loader: String?
        if let interpreter = closure.interpreter {
            loader = (libraries as NSString).appendingPathComponent((interpreter as NSString).lastPathComponent)
            files.append(FileMapping(source: realPath(interpreter), target: loader!))
        }
        for library in closure.libraries {
            files.append(FileMapping(source: realPath(library.path), target: (libraries as NSString).appendingPathComponent(library.name)))
        }
        if let hostCertificates, FileManager.default.fileExists(atPath: hostCertificates) {
            files.append(FileMapping(source: realPath(hostCertificates), target: certificates))
        }
        if accounts {
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
            let passwd = (staging as NSString).appendingPathComponent("passwd"), group = (staging as NSString).appendingPathComponent("group")
            try AtomicFile.write("root:x:0:0:root:/root:/sbin/nologin\n\(userName):x:\(uid):\(uid):\(userName):/nonexistent:/sbin/nologin\n", to: passwd)
            try AtomicFile.write("root:x:0:\n\(userName):x:\(uid):\n", to: group)
            files += [FileMapping(source: passwd, target: "/etc/passwd"), FileMapping(source: group, target: "/etc/group")]
        }
        return (files, loader)
    }

    /// The entrypoint that runs `sluice serve` through the packaged loader (or directly, for a
    /// static binary); the model directory and port are the command, so they can be changed.
    static func entrypoint(loader: String?) -> [String] {
        guard let loader else { return [binary, "serve"] }
        return [loader, "--library-path", libraries, "--argv0", binary, binary, "serve"]
    }

    static let command = ["--model", "/model", "--port", String(port)]

    private static func realPath(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    }
}

extension RuntimeLayer {
    /// The running `sluice` program (the binary that packages is the binary packaged).
    static func currentProgram() throws -> String {
        let path = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        guard path != "/proc/self/exe" else { throw Failure.runtime("cannot find the running sluice binary (/proc/self/exe)") }
        return path
    }

    /// The image settings the runtime layer implies; the spec's own settings win over them.
    static func defaults(loader: String?) -> PackageSpec {
        PackageSpec(entrypoint: entrypoint(loader: loader), cmd: command, env: ["SSL_CERT_FILE": certificates],
                    user: "\(uid):\(uid)", ports: ["\(port)/tcp"])
    }
}
