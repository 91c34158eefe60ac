using OtpGate.Verification.Phones;
using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Fraud;

/// <summary>What a rule names, as the operator typed it: a whole number, or a prefix (country calling code and more digits).</summary>
/// <param name="Key">The stored target (<c>prefix:1212</c>, <c>number:12125550100</c>).</param>
/// <param name="Display">How it is shown: <c>+1212</c>, or a number masked (<c>+12*******00</c>).</param>
public sealed record FraudTarget(string Key, string Display)
{
    /// <summary>
    /// A prefix: <c>+</c> (optional) and 1 to 14 digits, spaces and dashes ignored; a number: any valid phone number.
    /// Null with the reason when it is neither.
    /// </summary>
    public static (FraudTarget? Target, string? Error) Parse(string? prefix, string? number)
    {
        if ((prefix is null) == (number is null))
        {
            return (null, "Name exactly one of a prefix (e.g. +1 212) or a number (e.g. +1 212 555 0100).");
        }

        if (number is not null)
        {
            var parsed = PhoneNumberParser.Parse(number);
            return parsed.IsValid ? (OfNumber(parsed.Number.Digits), null) : (null, parsed.Message);
        }

        var text = prefix!.Trim();
        text = text.StartsWith('+') ? text[1..] : text;
        var digits = new string([.. text.Where(char.IsAsciiDigit)]);
        return digits.Length is >= 1 and <= 14 && text.All(c => char.IsAsciiDigit(c) || c is ' ' or '-')
            ? (new FraudTarget(FraudTargets.Prefix(digits), "+" + digits), null)
            : (null, "A prefix is a country calling code and up to 11 more digits, e.g. +1 212 or +44 7700.");
    }

    public static FraudTarget OfNumber(string digits) => new(FraudTargets.Number(digits), "+" + PhoneMasking.Mask(digits));

    internal static FraudTarget FromKey(string key) => key.StartsWith("number:", StringComparison.Ordinal)
        ? OfNumber(key["number:".Length..])
        : new FraudTarget(key, "+" + key["prefix:".Length..]);
}

/// <summary>A rule in force: the safe list (allow) or the block list (block), set by the operator or, for a block, by the guard until <see cref="Until"/>.</summary>
public sealed record FraudRule(FraudTarget Target, string Kind, string Source, DateTimeOffset? Until, string? Evidence, DateTimeOffset CreatedAt);

/// <summary>
/// The operator's side of the fraud guard (<c>otpgate fraud</c>, <c>/v1/fraud</c>): the rules in force, and allowing,
/// blocking and unblocking a prefix or a number. Stored in the database, so every instance applies a change at its next start.
/// </summary>
public sealed class FraudLists(Database database, TimeProvider time)
{
    public async Task<IReadOnlyList<FraudRule>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await FraudStore.ListRulesAsync(connection, Now());
        return [.. rows.Select(r => new FraudRule(FraudTarget.FromKey(r.Target), r.Kind, r.Source,
            r.Until is { } until ? DateTimeOffset.FromUnixTimeMilliseconds(until) : null, r.Evidence, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt)))];
    }

    /// <summary>Puts the target on the safe list: never refused by the guard (a block of it, the guard's or the operator's, is replaced).</summary>
    public Task AllowAsync(FraudTarget target, CancellationToken cancellationToken) => SetAsync(target, FraudTargets.Allow, cancellationToken);

    /// <summary>Puts the target on the block list until it is unblocked (an allow of it is replaced).</summary>
    public Task BlockAsync(FraudTarget target, CancellationToken cancellationToken) => SetAsync(target, FraudTargets.Block, cancellationToken);

    /// <summary>Lifts the target's block, the operator's or the guard's; false when it had none.</summary>
    public Task<bool> UnblockAsync(FraudTarget target, CancellationToken cancellationToken) => RemoveAsync(target, FraudTargets.Block, cancellationToken);

    /// <summary>Takes the target off the safe list; false when it was not on it.</summary>
    public Task<bool> DisallowAsync(FraudTarget target, CancellationToken cancellationToken) => RemoveAsync(target, FraudTargets.Allow, cancellationToken);

    private async Task SetAsync(FraudTarget target, string kind, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        await FraudStore.SetRuleAsync(scope, target.Key, kind, Now());
        await scope.CommitAsync(cancellationToken);
    }

    private async Task<bool> RemoveAsync(FraudTarget target, string kind, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var removed = await FraudStore.RemoveRuleAsync(scope, target.Key, kind, Now());
        await scope.CommitAsync(cancellationToken);
        return removed;
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();
}
