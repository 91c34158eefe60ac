using OtpGate.Sandbox.Messages;

namespace OtpGate.Sandbox.Webhooks;

/// <summary>One status of one message, waiting to be pushed to one webhook URL.</summary>
internal sealed record WebhookEvent(string Url, SandboxMessage Message, SandboxStatusChange Change);
