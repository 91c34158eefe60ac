using OtpGate.Verification.Storage;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Limits;

/// <summary>
/// The send, start and check limits (docs/architecture.md, "Guessing and limits"), counted in the caller's transaction. <c>Check*</c> only counts;
/// <c>Record*</c> is called after the request is accepted, so a refused request costs nothing.
/// </summary>
internal sealed class LimitPolicy(VerificationOptions options)
{
    private static readonly long TenMinutes = (long)TimeSpan.FromMinutes(10).TotalMilliseconds;
    private static readonly long Day = (long)TimeSpan.FromDays(1).TotalMilliseconds;

    public async Task<Refused?> CheckStartAsync(WriteScope scope, string? clientIp, long now)
    {
        if (clientIp is null)
        {
            return null;
        }

        var until = await LimitStore.FullUntilAsync(scope, LimitScopes.IpStarts(clientIp), options.MaxStartsPerIpPer10Minutes, now - TenMinutes, TenMinutes);
        return until is { } u
            ? RateLimited(LimitNames.IpStarts10Minutes, $"Too many verifications were started from this address; try again in {Describe(u - now)}.", u - now)
            : null;
    }

    public async Task<Refused?> CheckSendAsync(WriteScope scope, string phone, long now)
    {
        var sends = LimitScopes.PhoneSends(phone);
        if (await LimitStore.FullUntilAsync(scope, sends, options.MaxSendsPerPhonePer10Minutes, now - TenMinutes, TenMinutes) is { } shortUntil)
        {
            return RateLimited(LimitNames.PhoneSends10Minutes, $"Too many codes were sent to this number in the last 10 minutes; try again in {Describe(shortUntil - now)}.", shortUntil - now);
        }

        if (await LimitStore.FullUntilAsync(scope, sends, options.MaxSendsPerPhonePerDay, now - Day, Day) is { } dayUntil)
        {
            return RateLimited(LimitNames.PhoneSendsDay, $"Too many codes were sent to this number today; try again in {Describe(dayUntil - now)}.", dayUntil - now);
        }

        if (options.DailySendBudget > 0)
        {
            var dayStart = now - (now % Day);
            if (await LimitStore.FullUntilAsync(scope, LimitScopes.Budget, options.DailySendBudget, dayStart - 1, Day) is not null)
            {
                var nextDay = dayStart + Day;
                // Generic on purpose: the caller's user should not learn about the operator's budget.
                return RateLimited(LimitNames.DailyBudget, "Codes cannot be sent right now; try again later.", nextDay - now);
            }
        }

        return null;
    }

    public static async Task RecordStartAsync(WriteScope scope, string? clientIp, string verificationId, long now)
    {
        if (clientIp is not null)
        {
            await LimitStore.RecordAsync(scope, LimitScopes.IpStarts(clientIp), verificationId, now);
        }
    }

    /// <summary>
    /// An automatic resend (after an unclear answer, or a temporary delivery failure) counts in its phone's send limits
    /// like any message; it is not refused by them, since the code it carries was already promised to the user.
    /// </summary>
    public static Task RecordAutomaticSendAsync(WriteScope scope, string verificationId, long now) =>
        LimitStore.RecordForPhoneOfAsync(scope, LimitScopes.PhoneSendsPrefix, verificationId, now);

    public async Task RecordSendAsync(WriteScope scope, string phone, string verificationId, long now)
    {
        await LimitStore.RecordAsync(scope, LimitScopes.PhoneSends(phone), verificationId, now);
        if (options.DailySendBudget > 0)
        {
            await LimitStore.RecordAsync(scope, LimitScopes.Budget, verificationId, now);
        }
    }

    /// <summary>
    /// Whether a code that is not fresh (see <see cref="VerificationStore.TakeAttemptAsync"/>) may be compared: refused
    /// when the phone has had <see cref="VerificationOptions.MaxFailedChecksPerPhone"/> failed checks in the window, from
    /// anyone, or while the starter waits out its growing delay. Neither refusal stops the first comparison of a fresh
    /// code, so a stranger who only knows the number can make its owner wait for a new code, never lock them out.
    /// </summary>
    public async Task<Refused?> CheckFailuresAsync(WriteScope scope, string phone, string starter, long now)
    {
        var window = (long)options.FailedChecksWindow.TotalMilliseconds;
        var phoneScope = LimitScopes.PhoneFailures(phone);
        var counts = await LimitStore.CountFailuresAsync(scope, phoneScope, LimitScopes.StarterFailures(phone, starter), now - window);
        if (counts.Phone >= options.MaxFailedChecksPerPhone)
        {
            var until = await LimitStore.FullUntilAsync(scope, phoneScope, options.MaxFailedChecksPerPhone, now - window, window) ?? now;
            return RateLimited(LimitNames.PhoneFailedChecks,
                "Too many wrong codes were entered for this number; ask for a new code and enter it (the first try of a new code always counts).", until - now);
        }

        if (counts.StarterLast is { } last && FailureDelay((int)counts.Starter) is { } delay && last + delay > now)
        {
            var wait = last + delay - now;
            return RateLimited(LimitNames.FailedChecksDelay, $"Too many wrong codes; you can try again in {Describe(wait)}.", wait);
        }

        return null;
    }

    /// <summary>
    /// The wait after a starter's <paramref name="failures"/>th failed check for a phone: none for the first
    /// <see cref="VerificationOptions.FailedChecksBeforeDelay"/>, then <see cref="VerificationOptions.FailedCheckDelay"/>
    /// doubling with each further failure, up to <see cref="VerificationOptions.MaxFailedCheckDelay"/> (NIST SP 800-63B:
    /// delays that grow as failures accumulate, instead of a lockout).
    /// </summary>
    public long? FailureDelay(int failures)
    {
        var beyond = failures - options.FailedChecksBeforeDelay;
        if (beyond < 0)
        {
            return null;
        }

        var delay = options.FailedCheckDelay.TotalMilliseconds * Math.Pow(2, Math.Min(beyond, 30));
        return (long)Math.Min(delay, options.MaxFailedCheckDelay.TotalMilliseconds);
    }

    public static Task RecordFailureAsync(WriteScope scope, string phone, string starter, string verificationId, long now) =>
        LimitStore.RecordBothAsync(scope, LimitScopes.PhoneFailures(phone), LimitScopes.StarterFailures(phone, starter), verificationId, now);

    /// <summary>A right code clears its starter's own failures for the phone (never the phone's count, which bounds guessing).</summary>
    public static Task ClearStarterFailuresAsync(WriteScope scope, string phone, string starter) =>
        LimitStore.ClearAsync(scope, LimitScopes.StarterFailures(phone, starter));

    private static Refused RateLimited(string limit, string message, long retryAfterMs) =>
        new(Refusal.RateLimited, message, limit, TimeSpan.FromMilliseconds(Math.Max(1000, retryAfterMs)));

    internal static string Describe(long milliseconds)
    {
        var span = TimeSpan.FromMilliseconds(Math.Max(1000, milliseconds));
        return span.TotalMinutes >= 90 ? $"{Math.Ceiling(span.TotalHours)} hours"
            : span.TotalSeconds >= 90 ? $"{Math.Ceiling(span.TotalMinutes)} minutes"
            : $"{Math.Ceiling(span.TotalSeconds)} seconds";
    }
}
