using System.Security.Cryptography;
using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Events;

/// <summary>
/// Writes an event in the transaction of the change that raises it, with one delivery for each enabled endpoint that
/// wants it (its service, or every service, and its types). Called only by <c>Lifecycle</c>, the one place that changes
/// a verification, so an event exists exactly when its change was committed.
/// </summary>
internal static class EventRaiser
{
    /// <summary>Raises <paramref name="type"/> for the verification as <paramref name="row"/> is now.</summary>
    public static async Task RaiseAsync(WriteScope scope, VerificationRow row, EventType type, long now, string? deliveryStatus = null, string? sendChannel = null)
    {
        var eventId = NewEventId();
        var payload = EventPayload.Build(type, row, deliveryStatus, now, sendChannel);
        var eventRow = await EventStore.InsertAsync(scope, eventId, type.ToWireName(), row.Id, row.ServiceId, payload, now);
        if (await EventStore.FanOutAsync(scope, eventRow, type.ToWireName(), row.Id, row.ServiceId, now) > 0)
        {
            scope.MarkEventRaised();
        }
    }

    /// <summary>Raises <paramref name="type"/> for the verification, read as the transaction has it now.</summary>
    public static async Task RaiseAsync(WriteScope scope, string verificationId, EventType type, long now, string? deliveryStatus = null, string? sendChannel = null)
    {
        var row = await VerificationStore.FindAsync(scope.Connection, verificationId, scope.Transaction)
            ?? throw new InvalidOperationException($"Verification {verificationId} is not there to raise {type.ToWireName()} for.");
        await RaiseAsync(scope, row, type, now, deliveryStatus, sendChannel);
    }

    /// <summary>A <c>webhook-id</c>: <c>msg_</c> and 128 random bits, the form Standard Webhooks' examples use.</summary>
    public static string NewEventId() => "msg_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
