namespace OtpGate.Verification.Outbox;

/// <summary>
/// Raised when a commit of this instance queued a send: other instances sharing the database are told by
/// <see cref="PostgresOutboxListener"/>, after the commit and outside it.
/// </summary>
public sealed class OutboxBroadcast : WakeSignal;
