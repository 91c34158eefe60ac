namespace OtpGate.Verification.Storage;

/// <summary>A row of the <c>verifications</c> table, as Dapper reads it (times in epoch milliseconds).</summary>
internal sealed class VerificationRow
{
    public string Id { get; set; } = "";
    public string Owner { get; set; } = "";
    public string Phone { get; set; } = "";
    public string Region { get; set; } = "";
    public string Purpose { get; set; } = "";
    public string Locale { get; set; } = "";
    public string? ClientRef { get; set; }
    public string? ClientIp { get; set; }
    public string? Metadata { get; set; }
    public long IsTest { get; set; }
    public string Status { get; set; } = "";
    public string? FailureReason { get; set; }
    public string? CodeKeyId { get; set; }
    public byte[]? CodeMac { get; set; }
    public byte[]? CodeCipher { get; set; }
    public long ExpiresAt { get; set; }
    public long Attempts { get; set; }
    public long MaxAttempts { get; set; }
    public long SendCount { get; set; }
    public long NextResendAt { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
    public long? EndedAt { get; set; }

    /// <summary>1 while the last code sent has not been compared yet.</summary>
    public long FreshCode { get; set; }

    /// <summary>The channel its codes are sent through (<c>whatsapp</c>); each send records it too.</summary>
    public string Channel { get; set; } = "";

    /// <summary>The service whose settings it uses; only its owner within that service sees it.</summary>
    public string ServiceId { get; set; } = Services.Service.DefaultId;
}

internal sealed class SendRow
{
    public long Id { get; set; }
    public string VerificationId { get; set; } = "";
    public long Seq { get; set; }
    public string Reason { get; set; } = "";
    public string Channel { get; set; } = "";
    public string JobState { get; set; } = "";
    public long DueAt { get; set; }
    public long Tries { get; set; }
    public string DeliveryStatus { get; set; } = "";
    public string? MessageId { get; set; }
    public string? FailureReason { get; set; }
    public long? ErrorCode { get; set; }
    public long CreatedAt { get; set; }
    public long? AcceptedAt { get; set; }
    public long? StatusAt { get; set; }
}

internal sealed class EventRow
{
    public long Id { get; set; }
    public long? SendId { get; set; }
    public long At { get; set; }
    public string Kind { get; set; } = "";
    public string? Status { get; set; }
    public string? Detail { get; set; }
    public long? Seq { get; set; }
}

/// <summary>A verification the expiry statement ended, with its service (the metrics' label).</summary>
internal sealed class ExpiredVerification
{
    public string Id { get; set; } = "";
    public string ServiceId { get; set; } = "";
}
