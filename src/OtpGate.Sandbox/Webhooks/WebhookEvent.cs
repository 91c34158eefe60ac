using OtpGate.Sandbox.Messages;

namespace OtpGate.Sandbox.Webhooks;

/// <summary>
/// One event of one message, waiting to be pushed to one webhook URL: a status (<paramref name="Change"/>), or,
/// when <paramref name="Change"/> is null, the <c>fromMe</c> echo of the message itself.
/// </summary>
internal sealed record WebhookEvent(string Url, SandboxMessage Message, SandboxStatusChange? Change)
{
    public bool IsEcho => Change is null;
}
