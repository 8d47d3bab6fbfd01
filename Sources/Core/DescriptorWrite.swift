import Foundation

/// Writing a whole buffer to a file descriptor, resuming after short writes and `EINTR`.
public enum DescriptorWrite {
    /// Writes every byte of `bytes` to `descriptor`; returns nil, or the `errno` of the failure.
    public static func all(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += written
        }
        return nil
    }
}
