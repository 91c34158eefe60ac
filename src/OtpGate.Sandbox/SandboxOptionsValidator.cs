using Microsoft.Extensions.Options;

namespace OtpGate.Sandbox;

/// <summary>Cross-field rules for <see cref="SandboxOptions"/>, checked at start-up with full-sentence messages.</summary>
internal sealed class SandboxOptionsValidator : IValidateOptions<SandboxOptions>
{
    public ValidateOptionsResult Validate(string? name, SandboxOptions options)
    {
        List<string> failures = [];
        if (string.IsNullOrWhiteSpace(options.ChannelId) || options.ChannelId.Contains('/', StringComparison.Ordinal))
        {
            failures.Add("Sandbox:ChannelId must be a non-empty path segment, e.g. \"sandbox\".");
        }

        if (string.IsNullOrEmpty(options.Token))
        {
            failures.Add("Sandbox:Token must not be empty.");
        }

        if (options.RateLimitPerSecond < 1)
        {
            failures.Add("Sandbox:RateLimitPerSecond must be at least 1.");
        }

        if (options.MaxConversations < 1 || options.MaxMessagesPerConversation < 1)
        {
            failures.Add("Sandbox:MaxConversations and Sandbox:MaxMessagesPerConversation must be at least 1.");
        }

        if (options.MissingNamespaceStatus is not (400 or 422))
        {
            failures.Add("Sandbox:MissingNamespaceStatus must be 400 or 422.");
        }

        if (options.WebhookUrls.Count > Webhooks.WebhookRegistry.MaxUrls)
        {
            failures.Add($"Sandbox:WebhookUrls may list at most {Webhooks.WebhookRegistry.MaxUrls} URLs.");
        }

        if (options.WebhookDisableAfterFailures < 1)
        {
            failures.Add("Sandbox:WebhookDisableAfterFailures must be at least 1.");
        }

        if (options.WebhookMaxEventsPerRequest < 1 || options.WebhookMaxConcurrentRequests < 1 || options.WebhookMaxPendingEvents < 1)
        {
            failures.Add("Sandbox:WebhookMaxEventsPerRequest, Sandbox:WebhookMaxConcurrentRequests and Sandbox:WebhookMaxPendingEvents must be at least 1.");
        }

        if (options.WebhookTimeout <= TimeSpan.Zero)
        {
            failures.Add("Sandbox:WebhookTimeout must be positive.");
        }

        if (options.SentAfter < TimeSpan.Zero || options.DeliveredAfter < options.SentAfter || options.ReadAfter < options.DeliveredAfter)
        {
            failures.Add("Sandbox timings must satisfy 0 <= SentAfter <= DeliveredAfter <= ReadAfter.");
        }

        if (options.QueuedFor < TimeSpan.Zero)
        {
            failures.Add("Sandbox:QueuedFor must not be negative.");
        }

        if (options.Sms.AccountSid is not { Length: 34 } sid || !sid.StartsWith("AC", StringComparison.Ordinal) || !sid[2..].All(char.IsAsciiHexDigitLower))
        {
            failures.Add("Sandbox:Sms:AccountSid must be \"AC\" followed by 32 lowercase hex digits, as Twilio's are.");
        }

        if (string.IsNullOrEmpty(options.Sms.AuthToken))
        {
            failures.Add("Sandbox:Sms:AuthToken must not be empty.");
        }

        // The SMS channel sends from these in sandbox mode, and checks them as Twilio's (E.164, MG and 32 hex digits).
        if (options.Sms.From is not { Length: >= 7 and <= 16 } from || from[0] != '+' || !from[1..].All(char.IsAsciiDigit))
        {
            failures.Add("Sandbox:Sms:From must be a number in E.164 with its +, e.g. +15005550006 (the default).");
        }

        if (options.Sms.MessagingServiceSid is not { Length: 34 } service || !service.StartsWith("MG", StringComparison.Ordinal) || !service[2..].All(char.IsAsciiHexDigit))
        {
            failures.Add("Sandbox:Sms:MessagingServiceSid must be \"MG\" followed by 32 hex digits, as Twilio's are.");
        }

        if (options.MaxStoredMessages < 1)
        {
            failures.Add("Sandbox:MaxStoredMessages must be at least 1.");
        }

        foreach (var template in options.Templates)
        {
            if (string.IsNullOrWhiteSpace(template.Name) || string.IsNullOrWhiteSpace(template.Language) || string.IsNullOrWhiteSpace(template.BodyText))
            {
                failures.Add("Every Sandbox:Templates entry needs a Name, a Language and a BodyText.");
                break;
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
