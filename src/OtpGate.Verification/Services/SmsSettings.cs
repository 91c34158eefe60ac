namespace OtpGate.Verification.Services;

/// <summary>
/// What a service decides about SMS (configuration <c>Verification:Sms:…</c> or <c>Services:&lt;name&gt;:Sms:…</c>): whether
/// a code may fall back from WhatsApp to SMS, how long WhatsApp gets to deliver first, the per-phone SMS cap, and the
/// text. Each has an effect only when an SMS channel is configured.
/// </summary>
public sealed record SmsSettings
{
    /// <summary>Falls back to SMS (automatically, and at the user's request) when WhatsApp cannot deliver.</summary>
    public bool Fallback { get; set; } = true;

    /// <summary>How long after WhatsApp accepted a message a <c>delivered</c> may take before the code goes by SMS.</summary>
    public TimeSpan DeliveryDeadline { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>SMS sends per phone in 24 hours (fallbacks, SMS starts and resends together); SMS costs more and is a target of pumping.</summary>
    public int MaxPerPhonePerDay { get; set; } = 3;

    /// <summary>The SMS text per locale (exact locale, then its language), with <c>{code}</c>, <c>{service}</c>, <c>{minutes}</c>; the English default otherwise.</summary>
    public Dictionary<string, string> Texts { get; set; } = [];

    /// <summary>The site the code is for (<c>example.com</c>): adds the last line <c>@example.com #123456</c> (WebOTP, SMS Retriever).</summary>
    public string? WebOtpDomain { get; set; }

    /// <summary>A copy that shares nothing mutable with this one.</summary>
    public SmsSettings Copy() => this with { Texts = new(Texts, StringComparer.Ordinal) };
}
