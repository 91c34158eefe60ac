using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace OtpGate.Channels.Sms;

/// <summary>
/// Checks <see cref="SmsOptions"/> at start-up: each problem is one sentence naming the key to fix, with an example.
/// Never repeats a token or secret.
/// </summary>
public sealed partial class SmsOptionsValidator : IValidateOptions<SmsOptions>
{
    private const string Prefix = "Sms:Twilio:";

    public ValidateOptionsResult Validate(string? name, SmsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Problems(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IEnumerable<string> Problems(SmsOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Provider) && !string.Equals(options.Provider.Trim(), SmsOptions.TwilioProvider, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(options.Provider.Trim(), SmsOptions.NoProvider, StringComparison.OrdinalIgnoreCase))
        {
            yield return $"Sms:Provider is \"{options.Provider}\"; the only SMS provider is twilio (set Sms:Provider=twilio, or none for no SMS, or leave it empty).";
        }

        if (!string.IsNullOrWhiteSpace(options.StatusCallbackBaseUrl) && !IsHttpBase(options.StatusCallbackBaseUrl))
        {
            yield return $"Sms:StatusCallbackBaseUrl is \"{options.StatusCallbackBaseUrl}\"; it must be the absolute http(s) address where Twilio reaches this server, without a query, e.g. https://otp.example.com.";
        }

        foreach (var problem in TwilioProblems(options.Twilio))
        {
            yield return problem;
        }
    }

    private static IEnumerable<string> TwilioProblems(TwilioSmsOptions twilio)
    {
        if (!AccountSidPattern().IsMatch(twilio.AccountSid.Trim()))
        {
            yield return $"{Prefix}AccountSid is \"{twilio.AccountSid}\"; set it to the Account SID from the Twilio console: AC followed by 32 hex digits.";
        }

        if (string.IsNullOrWhiteSpace(twilio.AuthToken) || twilio.AuthToken.Trim().Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            yield return $"{Prefix}AuthToken is empty or has spaces; set it to the account's Auth Token from the Twilio console (Twilio signs its status callbacks with it), "
                + "from an environment variable (Sms__Twilio__AuthToken) rather than a committed file.";
        }

        var hasKey = !string.IsNullOrWhiteSpace(twilio.ApiKeySid);
        if (hasKey != !string.IsNullOrWhiteSpace(twilio.ApiKeySecret))
        {
            yield return $"{Prefix}ApiKeySid and {Prefix}ApiKeySecret go together: set both (an API key SK… and its secret), or neither to authenticate with the auth token.";
        }
        else if (hasKey && !ApiKeyPattern().IsMatch(twilio.ApiKeySid!.Trim()))
        {
            yield return $"{Prefix}ApiKeySid is \"{twilio.ApiKeySid}\"; an API key sid is SK followed by 32 hex digits.";
        }

        var from = twilio.From?.Trim();
        var service = twilio.MessagingServiceSid?.Trim();
        if (string.IsNullOrEmpty(from) && string.IsNullOrEmpty(service))
        {
            yield return $"Neither {Prefix}From nor {Prefix}MessagingServiceSid is set; set From to one of your Twilio numbers in E.164 (e.g. +15017122661) or MessagingServiceSid to a Messaging Service (MG…).";
        }

        if (!string.IsNullOrEmpty(from) && !E164Pattern().IsMatch(from) && !AlphanumericSenderPattern().IsMatch(from))
        {
            yield return $"{Prefix}From is \"{twilio.From}\"; it must be a number in E.164 with its + (e.g. +15017122661) or an alphanumeric sender id of up to 11 letters and digits.";
        }

        if (!string.IsNullOrEmpty(service) && !ServicePattern().IsMatch(service))
        {
            yield return $"{Prefix}MessagingServiceSid is \"{twilio.MessagingServiceSid}\"; a Messaging Service sid is MG followed by 32 hex digits.";
        }

        if (twilio.BaseUrl is not { IsAbsoluteUri: true } baseUrl || baseUrl.Scheme is not ("http" or "https") || baseUrl.Query.Length > 0 || baseUrl.Fragment.Length > 0)
        {
            yield return $"{Prefix}BaseUrl is \"{twilio.BaseUrl}\"; it must be an absolute http(s) URL without a query, e.g. https://api.twilio.com (the default).";
        }

        foreach (var problem in TimingProblems(twilio))
        {
            yield return problem;
        }
    }

    private static IEnumerable<string> TimingProblems(TwilioSmsOptions twilio)
    {
        if (twilio.AttemptTimeout < TimeSpan.FromMilliseconds(10) || twilio.AttemptTimeout > TimeSpan.FromMinutes(5))
        {
            yield return $"{Prefix}AttemptTimeout is {twilio.AttemptTimeout}; it must be between 10 milliseconds and 5 minutes, e.g. 00:00:10.";
        }

        if (twilio.MaxRetries is < 0 or > 10)
        {
            yield return $"{Prefix}MaxRetries is {twilio.MaxRetries}; it must be between 0 and 10, e.g. 2.";
        }

        if (twilio.RetryBaseDelay < TimeSpan.Zero || twilio.MaxRetryDelay < twilio.RetryBaseDelay || twilio.MaxRetryDelay > TimeSpan.FromMinutes(10))
        {
            yield return $"{Prefix}RetryBaseDelay ({twilio.RetryBaseDelay}) and {Prefix}MaxRetryDelay ({twilio.MaxRetryDelay}) must satisfy 0 <= RetryBaseDelay <= MaxRetryDelay <= 10 minutes, e.g. 00:00:00.500 and 00:00:05.";
        }
    }

    private static bool IsHttpBase(string text) =>
        Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Query.Length == 0 && uri.Fragment.Length == 0;

    [GeneratedRegex("^AC[0-9a-fA-F]{32}$")]
    private static partial Regex AccountSidPattern();

    [GeneratedRegex("^SK[0-9a-fA-F]{32}$")]
    private static partial Regex ApiKeyPattern();

    [GeneratedRegex("^MG[0-9a-fA-F]{32}$")]
    private static partial Regex ServicePattern();

    [GeneratedRegex(@"^\+[1-9][0-9]{5,14}$")]
    internal static partial Regex E164Pattern();

    // Twilio: up to 11 characters, letters, digits and spaces, with at least one letter.
    [GeneratedRegex("^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$")]
    private static partial Regex AlphanumericSenderPattern();
}
