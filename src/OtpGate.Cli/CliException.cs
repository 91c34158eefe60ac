namespace OtpGate.Cli;

/// <summary>
/// An expected way for a command to end without success: the message is the one sentence printed to standard
/// error, and <see cref="ExitCode"/> is one of <see cref="ExitCodes"/>.
/// </summary>
public sealed class CliException : Exception
{
    public CliException()
        : this(ExitCodes.Unexpected, "The command failed.")
    {
    }

    public CliException(string message)
        : this(ExitCodes.Unexpected, message)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
        ExitCode = ExitCodes.Unexpected;
    }

    public CliException(int exitCode, string message)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; }

    public static CliException Usage(string message) => new(ExitCodes.Usage, message);

    public static CliException Refused(string message) => new(ExitCodes.Refused, message);
}
