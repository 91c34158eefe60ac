using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpGate.Verification.Phones;
using OtpGate.Verification.Storage;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Fraud;

/// <summary>
/// Refuses starts that look like message pumping (docs/architecture.md, "Fraud guard"): to a number or prefix on the
/// operator's block list, to a prefix the guard blocked for low conversion, and over the start rate a prefix or a
/// country normally takes. Counted per prefix and minute in the database, in the start's own transaction, so every
/// instance on one PostgreSQL sees the same counts. A number or prefix on the safe list is never refused.
/// </summary>
public sealed partial class FraudGuard(IOptions<FraudOptions> options, FraudMetrics metrics, ILogger<FraudGuard> logger)
{
    private const long MinuteMs = 60_000;

    /// <summary>
    /// Generic on purpose, for the API and the sign-up page alike: which rule refused, and when it would pass, would only
    /// help someone tune an attack. The person signing up can try another number or come back later.
    /// </summary>
    public const string RefusalMessage = "Verification codes cannot be sent to this number right now; try again later or use another number.";

    /// <summary>
    /// The refusal for a start the guard stops; otherwise whether to count it (<see cref="CountStart"/>, once it is
    /// written): not a safe-listed number's, which the operator vouches for, so it never weighs on its prefixes.
    /// </summary>
    internal async Task<FraudCheck> CheckAsync(WriteScope scope, PhoneNumber phone, long now)
    {
        var o = options.Value;
        var prefixes = PhonePrefixes.Of(phone.Digits);
        var minute = now / MinuteMs;
        var settled = (now - (long)o.SettleAfter.TotalMilliseconds) / MinuteMs - 1;
        var rows = await FraudStore.ReadAsync(scope, FraudTargets.Of(phone.Digits), prefixes, minute, minute - (long)o.Window.TotalMinutes, settled, now);
        if (FraudTargets.Decide(rows) is { } kind)
        {
            return kind == FraudTargets.Allow ? new FraudCheck(null, Counted: false) : Refuse(phone, "operator");
        }

        if (!o.Enabled)
        {
            return new FraudCheck(null, Counted: false);
        }

        var counts = prefixes.Select(p => rows.FirstOrDefault(r => r.Kind is null && r.Key == p) is { } r
            ? new PrefixCounts(p, r.NowStarts, r.Judged, r.Approvals)
            : new PrefixCounts(p, 0, 0, 0)).ToList();
        if (FraudJudgement.CheckVelocity(o, counts[0], counts[^1]) is not FraudJudgement.Velocity.Normal)
        {
            return Refuse(phone, "velocity");
        }

        if (FraudJudgement.FindFailing(o, counts) is not { } failing)
        {
            return new FraudCheck(null, Counted: true);
        }

        var evidence = Evidence(failing.Prefix, counts[0], failing.Threshold);
        var blocked = failing.Prefix.Prefix;
        if (!await FraudStore.TryBlockAsync(scope, FraudTargets.Prefix(blocked), now + (long)o.CoolingPeriod.TotalMilliseconds, evidence, now))
        {
            return Refuse(phone, "conversion");
        }

        await FraudStore.TakeOutAsync(scope, blocked, [.. prefixes.Where(p => p.Length < blocked.Length)], minute - (long)o.Window.TotalMinutes);
        metrics.PrefixBlocked(phone.RegionCode);
        LogPrefixBlocked(logger, "+" + blocked, phone.RegionCode, evidence, o.CoolingPeriod);
        return Refuse(phone, "conversion") with { Blocked = true };
    }

    /// <summary>Counts a start the guard let through, as its transaction commits, so PostgreSQL holds the counters' rows for the commit only.</summary>
    internal static void CountStart(WriteScope scope, FraudCheck check, PhoneNumber phone, long now)
    {
        if (check.Counted)
        {
            var prefixes = PhonePrefixes.Of(phone.Digits);
            scope.AtCommit(s => FraudStore.CountStartAsync(s, prefixes, now / MinuteMs));
        }
    }

    /// <summary>Counts an approval on the minute its verification started (as its transaction commits), so its prefixes' conversion is approvals of their own starts.</summary>
    internal void CountApproval(WriteScope scope, string digits, long startedAt, long now)
    {
        if (options.Value.Enabled)
        {
            var prefixes = PhonePrefixes.Of(digits);
            var minute = startedAt / MinuteMs;
            // A minute that is no longer hot has been, or is being, folded into shard 0 (FraudStore.CompactAsync).
            var shard = minute < now / MinuteMs - 1 ? 0 : scope.Shard;
            scope.AtCommit(s => FraudStore.CountApprovalAsync(s, prefixes, minute, shard));
        }
    }

    private FraudCheck Refuse(PhoneNumber phone, string rule)
    {
        metrics.Blocked(phone.RegionCode, rule);
        return new FraudCheck(new Refused(Refusal.FraudSuspected, RefusalMessage), Counted: false);
    }

    // Counts and shares only: the prefix is named by the caller, no number ever is.
    private static string Evidence(PrefixCounts prefix, PrefixCounts country, double threshold) => string.Create(CultureInfo.InvariantCulture,
        $"{prefix.Judged} sends judged, {prefix.Approvals} approved ({prefix.Conversion:P0}); country +{country.Prefix}: {country.Judged} judged, {country.Conversion:P0} approved; blocked under {threshold:P0}");

    [LoggerMessage(EventId = 1901, Level = LogLevel.Warning,
        Message = "Fraud guard: prefix {Prefix} ({Country}) blocked for {CoolingPeriod}, conversion too low: {Evidence}")]
    private static partial void LogPrefixBlocked(ILogger logger, string prefix, string country, string evidence, TimeSpan coolingPeriod);
}

/// <summary>What <see cref="FraudGuard.CheckAsync"/> decided: a refusal (and whether it blocked a prefix, to be committed), or whether the start is to be counted.</summary>
internal readonly record struct FraudCheck(Refused? Refusal, bool Counted, bool Blocked = false);
