using OtpGate.Verification.Storage;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Limits;

/// <summary>
/// The per-phone SMS cap (<c>Sms:MaxPerPhonePerDay</c>, scope <c>sms:&lt;phone&gt;</c>), on top of the phone's send limits
/// that every send counts in: an SMS costs more than a WhatsApp message and is what SMS pumping fraud buys, so a number
/// gets only a few a day whatever asks for them (fallbacks, SMS starts, resends by SMS, their automatic retries).
/// </summary>
internal static class SmsCap
{
    /// <summary>The limit a refusal names (the <c>limit</c> of a <c>rate_limited</c> problem, and a refused fallback's entry).</summary>
    public const string LimitName = "phone_sms_24h";

    private static readonly long Day = (long)TimeSpan.FromDays(1).TotalMilliseconds;

    public static string Scope(string phone) => "sms:" + phone;

    /// <summary>The refusal when the phone had <paramref name="maxPerDay"/> SMS in the last 24 hours; null when one more may go.</summary>
    public static async Task<Refused?> CheckAsync(WriteScope scope, string phone, int maxPerDay, long now) =>
        await LimitStore.FullUntilAsync(scope, Scope(phone), maxPerDay, now - Day, Day) is { } until
            ? new Refused(Refusal.RateLimited, $"Too many codes were sent to this number by SMS today; try again in {LimitPolicy.Describe(until - now)}.",
                LimitName, TimeSpan.FromMilliseconds(Math.Max(1000, until - now)))
            : null;

    public static Task RecordAsync(WriteScope scope, string phone, string verificationId, long now) =>
        LimitStore.RecordAsync(scope, Scope(phone), verificationId, now);
}
