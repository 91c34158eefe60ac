namespace OtpGate.OneMsg.Sending;

/// <summary>
/// What became of one <c>sendTemplate</c> call: a small closed set. <see cref="SendAccepted"/> and
/// <see cref="SendQueued"/> mean 1MSG took the message; <see cref="SendRejected"/> means it answered
/// HTTP 200 with <c>sent: false</c>; <see cref="SendFailed"/> carries a <see cref="SendFailureKind"/>
/// that tells the caller whether to fix something, wait, or treat the outcome as unknown.
/// </summary>
public abstract record SendResult
{
    private protected SendResult(int? httpStatus, string? rawBody)
    {
        HttpStatus = httpStatus;
        RawBody = rawBody;
    }

    /// <summary>The HTTP status of the response, when one arrived.</summary>
    public int? HttpStatus { get; }

    /// <summary>The response body, truncated to <see cref="MaxRawBodyLength"/> characters, for diagnostics.</summary>
    public string? RawBody { get; }

    /// <summary>How much of a response body is kept.</summary>
    public const int MaxRawBodyLength = 2048;
}

/// <summary>1MSG accepted the message (<c>sent: true</c>) and gave its <c>wamid.</c> id. Accepted is not delivered.</summary>
public sealed record SendAccepted(string MessageId, string? Message, string? Description, int? Status, string? Body)
    : SendResult(Status, Body);

/// <summary>HTTP 200 with <c>sent: false</c> and no job id: 1MSG refused the message (for example an authentication template sent body-only, or no opt-in).</summary>
public sealed record SendRejected(string? Message, string? Description, int? Status, string? Body)
    : SendResult(Status, Body);

/// <summary>1MSG queued the message (<c>jobId</c> without a message id). Do not resend: the job may still go out.</summary>
public sealed record SendQueued(string JobId, string? Message, int? Status, string? Body)
    : SendResult(Status, Body);

/// <summary>The send failed; <see cref="Kind"/> says how, <see cref="Message"/> says it in words.</summary>
public sealed record SendFailed(SendFailureKind Kind, string Message, TimeSpan? RetryAfter, int? Status, string? Body)
    : SendResult(Status, Body)
{
    /// <summary>True when the message surely did not go out and a later attempt may succeed (rate limited, transient).</summary>
    public bool IsRetryable => Kind is SendFailureKind.RateLimited or SendFailureKind.Transient;

    /// <summary>True when the message may or may not have gone out (timeout or 5xx after the request was sent).</summary>
    public bool IsAmbiguous => Kind is SendFailureKind.Ambiguous;
}
