namespace OtpGate.Sandbox.Webhooks;

/// <summary>One POST to one webhook URL; <paramref name="Attempt"/> counts from 0 (the first try).</summary>
internal sealed record WebhookCallback(string Url, string Body, int Attempt);
