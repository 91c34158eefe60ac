using System.Text.Json.Serialization;

namespace OtpGate.Sandbox.Messages;

/// <summary>
/// A message the sandbox accepted, as the recipient's phone would show it, with its delivery history.
/// Snapshots: a later status produces a new instance. Stored as JSON (<see cref="MessageJournal"/>): what is
/// derived from the rest is left out.
/// </summary>
public sealed record SandboxMessage(
    string Id,
    string Phone,
    string TemplateName,
    string TemplateLanguage,
    string TemplateNamespace,
    string Category,
    IReadOnlyList<string> BodyParameters,
    string? ButtonCode,
    string Text,
    string? Footer,
    string? ButtonText,
    TimeSpan Ttl,
    DateTimeOffset AcceptedAt,
    IReadOnlyList<SandboxStatusChange> Statuses)
{
    [JsonIgnore]
    public string ChatId => Phone + "@c.us";

    /// <summary>The recipient's business-scoped user id, as production acks carry it (stable per phone).</summary>
    [JsonIgnore]
    public string Bsuid => SandboxUsers.Bsuid(Phone);

    /// <summary>The recipient's WhatsApp user name, as production acks carry it (made up, stable per phone).</summary>
    [JsonIgnore]
    public string UserName => SandboxUsers.UserName(Phone);

    /// <summary>The code in the body (the first body parameter).</summary>
    [JsonIgnore]
    public string? BodyCode => BodyParameters.Count > 0 ? BodyParameters[0] : null;

    /// <summary>The code the user got (the body's first parameter).</summary>
    [JsonIgnore]
    public string? Code => BodyCode;

    /// <summary>An SMS the Twilio stand-in took (its category is <c>SMS</c>): in the phone's conversation, not in 1MSG's history.</summary>
    [JsonIgnore]
    public bool IsSms => Category == Sms.SmsDelivery.Category;

    [JsonIgnore]
    public DateTimeOffset ExpiresAt => AcceptedAt + Ttl;

    /// <summary>
    /// Where the message stands, as a WhatsApp client would show it: the highest of
    /// sent &lt; delivered &lt; read; <c>failed</c> unless a delivered/read came after it (multi-device);
    /// <c>accepted</c> before any status.
    /// </summary>
    [JsonIgnore]
    public string Status
    {
        get
        {
            var current = SandboxStatuses.Accepted;
            foreach (var change in Statuses)
            {
                if (change.Status == SandboxStatuses.Failed)
                {
                    current = SandboxStatuses.Rank(current) >= SandboxStatuses.Rank(SandboxStatuses.Delivered) ? current : SandboxStatuses.Failed;
                }
                else if (current == SandboxStatuses.Failed
                    ? SandboxStatuses.Rank(change.Status) >= SandboxStatuses.Rank(SandboxStatuses.Delivered)
                    : SandboxStatuses.Rank(change.Status) > SandboxStatuses.Rank(current))
                {
                    current = change.Status;
                }
            }

            return current;
        }
    }
}

/// <summary>One delivery status as it happened (duplicates and disorder kept as sent).</summary>
public sealed record SandboxStatusChange(string Status, DateTimeOffset At, SandboxDeliveryError? Error = null);

/// <summary>A Meta error attached to a <c>failed</c> status; <see cref="Text"/> is what the normalised ack carries.</summary>
public sealed record SandboxDeliveryError(int Code, string Title, string Details, string Text);

/// <summary>Everything the sandbox knows about one phone.</summary>
public sealed record SandboxConversation(
    string Phone,
    int RequestCount,
    DateTimeOffset LastActivityAt,
    IReadOnlyList<SandboxMessage> Messages);

/// <summary>The status names the sandbox emits (Meta's).</summary>
public static class SandboxStatuses
{
    public const string Accepted = "accepted";
    public const string Sent = "sent";
    public const string Delivered = "delivered";
    public const string Read = "read";
    public const string Failed = "failed";

    internal static int Rank(string status) => status switch
    {
        Sent => 1,
        Delivered => 2,
        Read => 3,
        _ => 0,
    };
}
