namespace OtpGate.Verification.Outbox;

/// <summary>Wakes the code sends' dispatcher at once when new work is committed (polling remains the backstop).</summary>
public sealed class OutboxSignal : WakeSignal;
