using OtpGate.Sandbox.Sms;
using OtpGate.Sandbox.Templates;

namespace OtpGate.Sandbox;

/// <summary>
/// How the sandbox behaves. Bound from the <c>Sandbox</c> configuration section; every timing knob
/// exists so tests can run a whole delivery in milliseconds (or under a FakeTimeProvider).
/// </summary>
public sealed class SandboxOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Sandbox";

    /// <summary>The default channel id, used in the API path <c>{base}/{ChannelId}/sendTemplate</c>.</summary>
    public const string DefaultChannelId = "sandbox";

    /// <summary>The default channel token.</summary>
    public const string DefaultToken = "sandbox-token";

    public string ChannelId { get; set; } = DefaultChannelId;

    public string Token { get; set; } = DefaultToken;

    /// <summary>The <c>instanceId</c> put in webhook payloads; defaults to <see cref="ChannelId"/>.</summary>
    public string? InstanceId { get; set; }

    /// <summary>
    /// Templates registered on the channel. The default approved authentication template is always
    /// there; configured templates are added to it, and one with the same name and language replaces it.
    /// </summary>
    public IList<SandboxTemplate> Templates { get; } = [];

    /// <summary>Token-bucket rate for accepted sends (Meta's default throughput is 80 messages/s); the burst is the same number.</summary>
    public int RateLimitPerSecond { get; set; } = 80;

    /// <summary>Conversations (one per phone) kept in memory; the least recently active ones are dropped past it.</summary>
    public int MaxConversations { get; set; } = 10_000;

    /// <summary>Messages kept per conversation; the oldest are dropped past it.</summary>
    public int MaxMessagesPerConversation { get; set; } = 200;

    /// <summary>
    /// HTTP status for a send without <c>namespace</c>: 422 <c>namespace is not defined</c> (the seed's
    /// description), or 400 <c>template is not defined</c> (what 1MSG's own n8n test shows).
    /// </summary>
    public int MissingNamespaceStatus { get; set; } = 422;

    /// <summary>
    /// How <c>GET webhook</c> and <c>GET settings</c> write <c>webhookUrl</c>. The default answers as 1MSG does
    /// (<c>""</c> for none, a string for one, an array for several); the others play the variants clients meet in the
    /// wild, so a client's reader can be tested against each.
    /// </summary>
    public WebhookUrlForm WebhookUrlForm { get; set; } = WebhookUrlForm.OneMsg;

    public TimeSpan SentAfter { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan DeliveredAfter { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan ReadAfter { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>When scenario 12125550103 is delivered.</summary>
    public TimeSpan SlowDeliveryAfter { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long scenario 12125550106 holds its answer.</summary>
    public TimeSpan HangDuration { get; set; } = TimeSpan.FromSeconds(40);

    /// <summary>How long scenario 12125550110's queued job waits before its message leaves (echo, then sent, delivered, read).</summary>
    public TimeSpan QueuedFor { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The TTL of an authentication message sent without <c>messageSendTtlSeconds</c> (Meta's default, 10 minutes).</summary>
    public TimeSpan DefaultMessageTtl { get; set; } = TimeSpan.FromSeconds(600);

    /// <summary>
    /// Delays before each retry of a failed webhook callback; its length is the number of retries.
    /// Null means 1 s, 2 s, 4 s, 8 s. (Null rather than a prefilled list, because configuration binding
    /// appends to a list instead of replacing it.)
    /// </summary>
    public IList<TimeSpan>? WebhookRetryDelays { get; set; }

    /// <summary>Consecutive failed callback attempts after which a webhook URL is disabled until the list is set again.</summary>
    public int WebhookDisableAfterFailures { get; set; } = 5;

    /// <summary>How long one callback attempt may take.</summary>
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Most status events in one callback request (entries of <c>ack</c>, or of Meta's <c>statuses</c>).
    /// Events ready at the same moment for a URL share a request up to this bound; nothing waits to fill one.
    /// </summary>
    public int WebhookMaxEventsPerRequest { get; set; } = 100;

    /// <summary>Most callback requests in flight to one URL (a message's events still arrive in order).</summary>
    public int WebhookMaxConcurrentRequests { get; set; } = 16;

    /// <summary>Most status events waiting for one URL; past it, new events for that URL are dropped (with a warning) until it catches up.</summary>
    public int WebhookMaxPendingEvents { get; set; } = 100_000;

    /// <summary>Webhook URLs registered at start (at most 5).</summary>
    public IList<string> WebhookUrls { get; } = [];

    public bool AckNotificationsOn { get; set; } = true;

    /// <summary>
    /// Whether each message sent is echoed to the webhooks as a <c>fromMe</c> message (<c>{instanceId, messages:[…]}</c>),
    /// as 1MSG does whatever <see cref="AckNotificationsOn"/> says. 1MSG has no setting for it; this is the sandbox's.
    /// </summary>
    public bool MessageEchoes { get; set; } = true;

    public bool RawHooks { get; set; }

    /// <summary>When false a failed callback is not retried (1MSG's <c>guaranteedHooks</c> setting).</summary>
    public bool GuaranteedHooks { get; set; } = true;

    /// <summary>
    /// How <c>GET templates</c> lists templates: <see cref="TemplateListForm.Clean"/> (the contract's form), or
    /// <see cref="TemplateListForm.Raw"/>, the forms real channels answer with (see the README).
    /// </summary>
    public TemplateListForm TemplateListForm { get; set; } = TemplateListForm.Clean;

    /// <summary>
    /// A folder where the sandbox keeps its messages (<c>sandbox-messages.jsonl</c>, mode 0600) so the inbox survives a
    /// restart; null keeps them in memory only. The server's embedded sandbox uses the server's data folder.
    /// </summary>
    public string? DataFolder { get; set; }

    /// <summary>How many of the most recent messages <see cref="DataFolder"/> keeps across a restart.</summary>
    public int MaxStoredMessages { get; set; } = 1000;

    /// <summary>
    /// Whether other machines may reach the sandbox. Off (the default), a host that mounts it refuses to start when it
    /// listens beyond loopback, and every sandbox route refuses requests from other addresses or through a proxy (403):
    /// the sandbox shows every code it "sends" and lets anyone redirect its webhook.
    /// </summary>
    public bool AllowRemoteAccess { get; set; }

    /// <summary>The Twilio Programmable Messaging stand-in's account (<c>Sandbox:Sms</c>).</summary>
    public SandboxSmsOptions Sms { get; set; } = new();

    internal IReadOnlyList<TimeSpan> EffectiveRetryDelays => WebhookRetryDelays is { } delays
        ? [.. delays]
        : [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8)];

    internal string EffectiveInstanceId => string.IsNullOrWhiteSpace(InstanceId) ? ChannelId : InstanceId;
}
