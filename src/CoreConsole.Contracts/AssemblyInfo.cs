// Wire DTOs shared by the core's agent API and the agent. Versioned JSON: add fields, never repurpose them.
namespace CoreConsole.Contracts;
