using OtpGate.Verification.Storage;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Limits;

/// <summary>
/// The send and start limits of DESIGN.md section 3, counted in the caller's transaction. <c>Check*</c> only counts;
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

    public async Task RecordSendAsync(WriteScope scope, string phone, string verificationId, long now)
    {
        await LimitStore.RecordAsync(scope, LimitScopes.PhoneSends(phone), verificationId, now);
        if (options.DailySendBudget > 0)
        {
            await LimitStore.RecordAsync(scope, LimitScopes.Budget, verificationId, now);
        }
    }

    public async Task<Refused?> CheckFailuresAsync(WriteScope scope, string phone, long now)
    {
        var window = (long)options.FailedChecksWindow.TotalMilliseconds;
        var until = await LimitStore.FullUntilAsync(scope, LimitScopes.PhoneFailures(phone), options.MaxFailedChecksPerPhone, now - window, window);
        return until is { } u
            ? RateLimited(LimitNames.PhoneFailedChecks, $"Too many wrong codes were entered for this number; try again in {Describe(u - now)}.", u - now)
            : null;
    }

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
