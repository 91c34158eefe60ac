namespace OtpGate.Sandbox;

/// <summary>
/// The host did not start: the mounted sandbox would answer beyond this machine and
/// <see cref="SandboxOptions.AllowRemoteAccess"/> is not set. The message is one sentence for a person.
/// </summary>
public sealed class SandboxExposureException : Exception
{
    public SandboxExposureException()
        : this("The 1MSG sandbox would answer beyond this machine; set Sandbox:AllowRemoteAccess=true if other machines must reach it.")
    {
    }

    public SandboxExposureException(string message)
        : base(message)
    {
    }

    public SandboxExposureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
