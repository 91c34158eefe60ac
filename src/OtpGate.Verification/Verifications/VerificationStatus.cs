namespace OtpGate.Verification.Verifications;

/// <summary>A verification's lifecycle: <c>pending</c>, then exactly one terminal status that never changes again.</summary>
public enum VerificationStatus
{
    Pending,
    Approved,
    Expired,
    MaxAttemptsReached,
    Canceled,
    /// <summary>The code could not be sent and will not be.</summary>
    Failed,
}

/// <summary>The stable wire names of statuses (stored in the database and shown by the API).</summary>
public static class StatusNames
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Expired = "expired";
    public const string MaxAttemptsReached = "max_attempts_reached";
    public const string Canceled = "canceled";
    public const string Failed = "failed";

    public static string ToName(this VerificationStatus status) => status switch
    {
        VerificationStatus.Pending => Pending,
        VerificationStatus.Approved => Approved,
        VerificationStatus.Expired => Expired,
        VerificationStatus.MaxAttemptsReached => MaxAttemptsReached,
        VerificationStatus.Canceled => Canceled,
        VerificationStatus.Failed => Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static VerificationStatus Parse(string name) => name switch
    {
        Pending => VerificationStatus.Pending,
        Approved => VerificationStatus.Approved,
        Expired => VerificationStatus.Expired,
        MaxAttemptsReached => VerificationStatus.MaxAttemptsReached,
        Canceled => VerificationStatus.Canceled,
        Failed => VerificationStatus.Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown verification status."),
    };
}
