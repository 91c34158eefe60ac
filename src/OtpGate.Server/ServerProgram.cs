namespace OtpGate.Server;

/// <summary>
/// Names this assembly's entry point for <c>WebApplicationFactory&lt;ServerProgram&gt;</c>: both this server and the sandbox it
/// references have a public top-level <c>Program</c>, so <c>WebApplicationFactory&lt;Program&gt;</c> would be ambiguous in tests.
/// </summary>
public sealed class ServerProgram
{
    private ServerProgram()
    {
    }
}
