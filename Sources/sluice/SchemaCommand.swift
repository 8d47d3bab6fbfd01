import ArgumentParser

/// `sluice schema`: work with Table Schemas.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Work with Frictionless Table Schemas.",
        subcommands: [SchemaInferCommand.self]
    )
}
