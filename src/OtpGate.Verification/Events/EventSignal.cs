using OtpGate.Verification.Outbox;

namespace OtpGate.Verification.Events;

/// <summary>Wakes the event dispatcher when a committed change raised an event some endpoint wants (polling is the backstop).</summary>
public sealed class EventSignal : WakeSignal;
