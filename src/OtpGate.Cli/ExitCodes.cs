namespace OtpGate.Cli;

/// <summary>The exit codes every command uses (documented in the README).</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>The command line or the configuration is wrong; nothing was sent anywhere.</summary>
    public const int Usage = 1;

    /// <summary>The remote side said no (1MSG or the server refused, a send failed) or a check failed.</summary>
    public const int Refused = 2;

    /// <summary>Something unexpected: a network failure without an answer, a bug, a crash.</summary>
    public const int Unexpected = 3;
}
