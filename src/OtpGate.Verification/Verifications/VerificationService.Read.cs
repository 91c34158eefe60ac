using System.Data.Common;
using System.Text.Json;
using OtpGate.Verification.Channels;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Verifications;

public sealed partial class VerificationService
{
    /// <summary>The verification as its owner may see it, with its sends and timeline; null when there is none or it is someone else's.</summary>
    public async Task<VerificationSnapshot?> GetAsync(VerificationOwner owner, string id, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        return await ReadSnapshotAsync(connection, null, owner, id, rules: null);
    }

    /// <summary>
    /// Reads the snapshot on the given connection: inside a write scope it is the state that scope commits, without a
    /// second connection. <paramref name="rules"/> are its service's, when the operation has read them already.
    /// </summary>
    private async Task<VerificationSnapshot?> ReadSnapshotAsync(DbConnection connection, DbTransaction? transaction, VerificationOwner owner, string id, ServiceRules? rules)
    {
        var row = await VerificationStore.FindOwnedAsync(connection, owner, id, transaction);
        if (row is null)
        {
            return null;
        }

        rules ??= await RulesForReadingAsync(connection, transaction, row.ServiceId);
        var sends = await VerificationStore.GetSendsAsync(connection, id, transaction);
        var events = await VerificationStore.GetEventsAsync(connection, id, transaction);
        return ToSnapshot(row, rules,
            [.. sends.Select(s => new SendSnapshot((int)s.Seq, s.Reason, s.Channel, s.DeliveryStatus, s.MessageId, s.FailureReason, (int?)s.ErrorCode,
                Time(s.CreatedAt), s.AcceptedAt is { } a ? Time(a) : null, s.StatusAt is { } st ? Time(st) : null))],
            [.. events.Select(e => new TimelineEntry(Time(e.At), e.Kind, e.Status, e.Detail, (int?)e.Seq))]);
    }

    private Task<VerificationSnapshot?> ReadSnapshotAsync(WriteScope scope, VerificationOwner owner, string id, ServiceRules? rules = null) =>
        ReadSnapshotAsync(scope.Connection, scope.Transaction, owner, id, rules);

    private VerificationSnapshot ToSnapshot(VerificationRow row, ServiceRules rules, SendSnapshot[] sends, TimelineEntry[] timeline)
    {
        var now = Now();
        var pending = row.CurrentStatus() == VerificationStatus.Pending;
        var canResend = pending && row.IsTest == 0 && row.SendCount < rules.Options.MaxSendsPerVerification;
        var live = pending && row.ExpiresAt > now;
        var smsAvailable = live && canResend && _channels.HasSms && rules.Options.Sms.Fallback && row.Channel != CodeChannels.SmsName
            && !sends.Any(s => s.Channel == CodeChannels.SmsName);
        return new VerificationSnapshot(
            row.Id, row.Phone, row.Region, row.Purpose, row.Locale, row.Channel, row.ClientRef,
            row.Metadata is null ? null : JsonSerializer.Deserialize(row.Metadata, VerificationJson.Default.DictionaryStringString),
            row.IsTest == 1,
            // Past its expiry it is expired, even before the sweep or the next request writes so.
            pending && row.ExpiresAt <= now ? VerificationStatus.Expired : row.CurrentStatus(),
            row.FailureReason,
            Time(row.CreatedAt), Time(row.ExpiresAt), row.EndedAt is { } ended ? Time(ended) : null,
            pending ? (int)Math.Max(0, row.MaxAttempts - row.Attempts) : 0,
            pending ? (int)Math.Max(0, rules.Options.MaxSendsPerVerification - row.SendCount) : 0,
            canResend ? Time(Math.Max(row.NextResendAt, row.CreatedAt)) : null,
            sends, timeline, FirstFallback(sends, timeline), smsAvailable);
    }

    /// <summary>
    /// The first fallback that sent something: the first <c>fallback</c> entry with a send (a refused one has none), its
    /// cause the wire name its detail starts with.
    /// </summary>
    private static FallbackSnapshot? FirstFallback(SendSnapshot[] sends, TimelineEntry[] timeline)
    {
        var fallback = Array.Find(timeline, t => t.Kind == FallbackKind && t.Sequence is not null);
        if (fallback is null)
        {
            return null;
        }

        var detail = fallback.Detail ?? "";
        var colon = detail.IndexOf(':', StringComparison.Ordinal);
        var channel = Array.Find(sends, s => s.Sequence == fallback.Sequence)?.Channel ?? CodeChannels.SmsName;
        return new FallbackSnapshot(channel, colon > 0 ? detail[..colon] : detail, fallback.At);
    }

    private static readonly string FallbackKind = TimelineEventKind.Fallback.ToWireName();
}
