using OtpGate.Verification.Contract;

namespace OtpGate.Verification.Events;

/// <summary>What happened to a verification, as told to the integrating application (the <c>type</c> of an event).</summary>
public enum EventType
{
    /// <summary>A verification was started (a test number's too: no message is sent for it).</summary>
    Started,

    /// <summary>The channel took a message with the code (one per send, resends included).</summary>
    Sent,

    /// <summary>A message with the code reached the user's device.</summary>
    Delivered,

    /// <summary>The user opened a message with the code.</summary>
    Read,

    /// <summary>The verification ended <c>failed</c>: the code could not be delivered (the payload's <c>failureReason</c> says why).</summary>
    Failed,

    /// <summary>The right code was checked.</summary>
    Approved,

    /// <summary>The verification was canceled.</summary>
    Canceled,

    /// <summary>The code's lifetime ran out before it was approved.</summary>
    Expired,

    /// <summary>Every attempt was used with a wrong code.</summary>
    MaxAttemptsReached,
}

/// <summary>The events' words on the wire; tests freeze each.</summary>
public static class EventTypes
{
    private static readonly Dictionary<EventType, string> Names = new()
    {
        [EventType.Started] = "verification.started",
        [EventType.Sent] = "verification.sent",
        [EventType.Delivered] = "verification.delivered",
        [EventType.Read] = "verification.read",
        [EventType.Failed] = "verification.failed",
        [EventType.Approved] = "verification.approved",
        [EventType.Canceled] = "verification.canceled",
        [EventType.Expired] = "verification.expired",
        [EventType.MaxAttemptsReached] = "verification.max_attempts_reached",
    };

    private static readonly Dictionary<string, EventType> ByName = Names.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    /// <summary>Every type, in the order of the catalogue.</summary>
    public static IReadOnlyList<EventType> All { get; } = Enum.GetValues<EventType>();

    public static string ToWireName(this EventType type) => Names[type];

    public static EventType? TryParse(string? name) => name is not null && ByName.TryGetValue(name, out var type) ? type : null;

    /// <summary>The event an ending raises.</summary>
    public static EventType ForEnding(VerificationStatus status) => status switch
    {
        VerificationStatus.Approved => EventType.Approved,
        VerificationStatus.Canceled => EventType.Canceled,
        VerificationStatus.Expired => EventType.Expired,
        VerificationStatus.MaxAttemptsReached => EventType.MaxAttemptsReached,
        VerificationStatus.Failed => EventType.Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Only an ending raises an ending's event."),
    };
}
