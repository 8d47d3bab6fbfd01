import Core
import Foundation
import OCI

/// Kubernetes manifests for a pushed image, referenced by digest so what runs is exactly what
/// was tested: a KServe `InferenceService` (custom predictor container) and a plain
/// `Deployment` + `Service`, with readiness and liveness probes on the Open Inference
/// Protocol's health endpoints. Written as YAML files the CI can `kubectl apply -f`.
public struct DeploymentManifests: Equatable, Sendable {
    /// The object name: the repository's last component as a DNS-1123 label.
    public var name: String
    /// `registry/repository@sha256:...`.
    public var image: String
    public var port: Int
    /// Whether the image's user is a numeric non-root uid, so the pod may require non-root.
    public var nonRoot: Bool

    public static let kserveFile = "inferenceservice.yaml"
    public static let kubernetesFile = "deployment.yaml"

    /// Manifests for `reference` (which must carry a digest) serving on `port` as `user`.
    public init(reference: Reference, port: Int, user: String?) {
        let last = reference.repository.split(separator: "/").last.map(String.init) ?? "model"
        var label = String(last.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }.prefix(63))
        label = label.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        name = label.isEmpty ? "model" : label
        image = reference.description
        self.port = port
        nonRoot = user.flatMap { Int($0.split(separator: ":").first ?? "") }.map { $0 > 0 } ?? false
    }

    /// The port a packaged image serves on: the runtime layer's, else its first exposed TCP port.
    public static func port(of config: ContainerConfig?) -> Int? {
        let ports = (config?.exposedPorts ?? [:]).keys.compactMap { key -> Int? in
            let parts = key.split(separator: "/")
            return parts.count == 2 && parts[1] != "tcp" ? nil : Int(parts[0])
        }
        return ports.sorted().first
    }

    /// Writes both files into `directory` (atomically) and returns their paths.
    public func write(to directory: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let kserve = (directory as NSString).appendingPathComponent(Self.kserveFile)
        let kubernetes = (directory as NSString).appendingPathComponent(Self.kubernetesFile)
        try AtomicFile.write(inferenceService, to: kserve)
        try AtomicFile.write(deployment, to: kubernetes)
        return [kserve, kubernetes]
    }

    /// YAML scalars are written as JSON strings, which YAML reads as the same text.
    private func quoted(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\\/", with: "/")
    }

    private func container(name containerName: String, indent: String) -> String {
        """
        \(indent)- name: \(containerName)
        \(indent)  image: \(quoted(image))
        \(indent)  ports:
        \(indent)    - name: http
        \(indent)      containerPort: \(port)
        \(indent)      protocol: TCP
        \(indent)  readinessProbe:
        \(indent)    httpGet:
        \(indent)      path: /v2/health/ready
        \(indent)      port: \(port)
        \(indent)    periodSeconds: 5
        \(indent)  livenessProbe:
        \(indent)    httpGet:
        \(indent)      path: /v2/health/live
        \(indent)      port: \(port)
        \(indent)    periodSeconds: 10

        """
    }

    /// A KServe v1beta1 `InferenceService` with the image as its predictor container.
    public var inferenceService: String {
        """
        # Written by sluice package: the image by digest, serving the Open Inference Protocol v2.
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata:
          name: \(quoted(name))
        spec:
          predictor:
            containers:

        """ + container(name: "kserve-container", indent: "      ")
    }

    /// A `Deployment` of the image by digest, running as non-root, and a `Service` in front.
    public var deployment: String {
        """
        # Written by sluice package: the image by digest, serving the Open Inference Protocol v2.
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: \(quoted(name))
          labels:
            app.kubernetes.io/name: \(quoted(name))
        spec:
          replicas: 1
          selector:
            matchLabels:
              app.kubernetes.io/name: \(quoted(name))
          template:
            metadata:
              labels:
                app.kubernetes.io/name: \(quoted(name))
            spec:
        \(nonRoot ? "      securityContext:\n        runAsNonRoot: true\n" : "")      containers:

        """ + container(name: "model", indent: "        ") + """
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: \(quoted(name))
        spec:
          selector:
            app.kubernetes.io/name: \(quoted(name))
          ports:
            - name: http
              port: 80
              targetPort: \(port)
              protocol: TCP

        """
    }
}
