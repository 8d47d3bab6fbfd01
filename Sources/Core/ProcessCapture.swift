import Foundation

extension ChildProcess {
    /// Runs `program` (a path) with `arguments` to its end and returns its status and its
    /// output and error text together, for short tool calls whose answer is read (not
    /// streamed). With `output`, both streams go there instead, for a child whose own
    /// children inherit them and outlive it (a container's init): the text is then empty.
    public static func capture(_ program: String, _ arguments: [String], output: FileHandle? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = output ?? pipe
        process.standardError = output ?? pipe
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw Failure.runtime("cannot run \(program): \(error.localizedDescription)")
        }
        // Only this process holds the pipe's write end now, so the read ends with it.
        try? pipe.fileHandleForWriting.close()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
