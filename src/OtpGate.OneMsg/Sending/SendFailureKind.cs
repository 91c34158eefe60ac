namespace OtpGate.OneMsg.Sending;

/// <summary>How a <c>sendTemplate</c> call failed, so a caller can decide what to do.</summary>
public enum SendFailureKind
{
    /// <summary>The phone number or chat id was refused. Permanent.</summary>
    InvalidPhone,
    /// <summary>No template with that name and language. Permanent until the template exists.</summary>
    TemplateNotFound,
    /// <summary>The template exists but is not approved (pending, paused, rejected, disabled). Permanent until approved.</summary>
    TemplateNotApproved,
    /// <summary>The namespace was missing or wrong (1MSG answers 422 "namespace is not defined", or 400 "template is not defined"). Permanent until configured.</summary>
    MissingNamespace,
    /// <summary>The parameters do not match the template's variables (422, Meta 132000). Permanent.</summary>
    ParameterMismatch,
    /// <summary>Any other 4xx refusal of the request itself. Permanent.</summary>
    InvalidRequest,
    /// <summary>The token was refused (401) or the channel is blocked (403). Operator action needed.</summary>
    Unauthorized,
    /// <summary>429: too many requests. Retry after <see cref="SendFailed.RetryAfter"/> when given.</summary>
    RateLimited,
    /// <summary>The request surely never reached 1MSG (connection refused, DNS failure). Safe to retry.</summary>
    Transient,
    /// <summary>Timeout or 5xx after the request was sent: 1MSG may or may not have sent the message.</summary>
    Ambiguous,
    /// <summary>Anything else (an unexpected status or an unreadable answer).</summary>
    Unknown,
}
