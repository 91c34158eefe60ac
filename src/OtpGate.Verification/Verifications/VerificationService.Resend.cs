using OtpGate.Verification.Codes;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Limits;
using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Verifications;

public sealed partial class VerificationService
{
    /// <summary>Sends the code again, when the verification's cooldown, its send count and the phone's limits allow.</summary>
    public async Task<OperationResult> ResendAsync(VerificationOwner owner, string id, CancellationToken cancellationToken)
    {
        var now = Now();
        await using var scope = await _database.BeginWriteAsync(cancellationToken);
        var (row, answer) = await FindPendingAsync(scope, owner, id, now, cancellationToken);
        if (row is null)
        {
            return answer!;
        }

        if (row.IsTest == 1)
        {
            // Test numbers never send; a resend is a success with nothing to do.
            return OperationResult.Ok((await ReadSnapshotAsync(scope, owner, id))!);
        }

        var rules = await RulesForReadingAsync(scope.Connection, scope.Transaction, row.ServiceId);
        var refusal = await TryResendAsync(scope, row, rules, now, quiet: false);
        if (refusal is not null)
        {
            return OperationResult.Refuse(refusal with { Verification = await ReadSnapshotAsync(scope, owner, id, rules) });
        }

        var resent = (await ReadSnapshotAsync(scope, owner, id, rules))!;
        await scope.CommitAsync(cancellationToken);
        return OperationResult.Ok(resent);
    }

    /// <summary>
    /// Resends within the caller's transaction: same code while enough lifetime remains, else a new code with a new
    /// lifetime (the attempt count is kept; <paramref name="customCode"/>, when the caller brings its own, is that new
    /// code). Returns the refusal, or null when a send was queued.
    /// </summary>
    private async Task<Refused?> TryResendAsync(WriteScope scope, VerificationRow row, ServiceRules rules, long now, bool quiet, string? customCode = null)
    {
        if (row.SendCount >= rules.Options.MaxSendsPerVerification)
        {
            return new Refused(Refusal.RateLimited, $"This verification has sent its {rules.Options.MaxSendsPerVerification} codes; start a new one after it expires.",
                LimitNames.VerificationSends, TimeSpan.FromMilliseconds(Math.Max(1000, row.ExpiresAt - now)));
        }

        if (row.NextResendAt > now)
        {
            var wait = row.NextResendAt - now;
            return new Refused(Refusal.Cooldown, $"A code was sent moments ago; you can ask for another in {LimitPolicy.Describe(wait)}.", null, TimeSpan.FromMilliseconds(Math.Max(1000, wait)));
        }

        if ((await rules.Limits.CheckSendAsync(scope, row.Phone, now) ?? await _spend.CheckAsync(scope, row.ServiceId, rules.Service.Settings.Spend, row.Channel, row.Region, now)) is { } limited)
        {
            return limited;
        }

        // The same code while enough of its lifetime remains for the user to type it; else a new one.
        var newCode = row.ExpiresAt - now < Ms(rules.Options.SameCodeMinRemaining)
            ? _protector.Protect(row.Id, customCode ?? CodeProtector.Generate(rules.Options.CodeLength))
            : null;
        await Lifecycle.ResendAsync(scope, row.Id, newCode, now + Ms(rules.Options.CodeLifetime), now + Ms(rules.CooldownAfter((int)row.SendCount + 1)), now);
        await rules.Limits.RecordSendAsync(scope, row.Phone, row.Id, now);
        if (!quiet)
        {
            LogResent(_logger, row.Id, newCode is not null);
        }

        return null;
    }
}
