namespace OtpGate.Verification.Contract;

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

/// <summary>What a timeline entry records. Each verification's timeline is the API's delivery history.</summary>
public enum TimelineEventKind
{
    /// <summary>The verification was started.</summary>
    Created,
    /// <summary>A send was queued in the outbox (first send, resend, or an automatic retry).</summary>
    SendQueued,
    /// <summary>The channel accepted the message and gave its id.</summary>
    Accepted,
    /// <summary>The channel queued the message without an id yet.</summary>
    ProviderQueued,
    /// <summary>The channel said "not now": the same send is tried again later.</summary>
    SendRetry,
    /// <summary>The send may or may not have gone out (a timeout or a server error after the request left).</summary>
    SendAmbiguous,
    /// <summary>The channel refused the send.</summary>
    SendFailed,
    /// <summary>Delivery news: sent, delivered, read or failed (the entry's status says which).</summary>
    Delivery,
    /// <summary>A wrong code was entered.</summary>
    CheckFailed,
    /// <summary>The verification ended with this status (the entry's kind and status are the ending's wire name).</summary>
    Approved,
    Expired,
    MaxAttemptsReached,
    Canceled,
    Failed,
    /// <summary>
    /// A verification that had failed on a delivery failure is pending again: another of the user's devices got the
    /// code within its lifetime (<c>Lifecycle.ReviveAsync</c>).
    /// </summary>
    Revived,
    /// <summary>
    /// The code went (or, when refused by a limit, would have gone) by SMS instead of WhatsApp; the detail starts with
    /// the cause's wire name (<see cref="FallbackCause"/>), and the entry's sequence is the SMS send's.
    /// </summary>
    Fallback,
}
