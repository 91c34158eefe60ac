using System.Text.Json.Nodes;

namespace OtpGate.Sandbox.Delivery;

/// <summary>
/// 1MSG's answer when it takes a send as a job: HTTP 200, <c>sent: false</c> and a <c>jobId</c>. The message may
/// still go out later, under a <c>wamid</c> the caller only learns from the webhooks: 1MSG has no job-to-message lookup.
/// </summary>
internal static class QueuedAnswer
{
    public const string Text = "Message queued: it will be sent when the channel can take it";

    public static JsonObject New() => new()
    {
        ["sent"] = false,
        ["message"] = Text,
        ["jobId"] = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)),
    };
}
