using Microsoft.Extensions.Options;

namespace OtpGate.OneMsg;

/// <summary>
/// Checks <see cref="OneMsgOptions"/> at start-up and says, in full sentences naming the configuration key,
/// what is wrong and how to fix it. Never echoes the token.
/// </summary>
public sealed class OneMsgOptionsValidator : IValidateOptions<OneMsgOptions>
{
    private static readonly TimeSpan MinAttemptTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxAttemptTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(10);
    private const int MaxRetriesLimit = 10;
    private const string Prefix = OneMsgOptions.SectionName + ":";

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, OneMsgOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Problems(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IEnumerable<string> Problems(OneMsgOptions options)
    {
        if (options.BaseUrl is not { IsAbsoluteUri: true } baseUrl || baseUrl.Scheme is not ("http" or "https"))
        {
            yield return $"{Prefix}BaseUrl must be an absolute http or https URL, such as https://api.1msg.io; it is \"{options.BaseUrl}\".";
        }
        else if (!string.IsNullOrEmpty(baseUrl.Query) || !string.IsNullOrEmpty(baseUrl.Fragment))
        {
            yield return $"{Prefix}BaseUrl must not have a query or fragment; the channel id and method are appended to its path. Use e.g. https://api.1msg.io.";
        }

        if (string.IsNullOrWhiteSpace(options.ChannelId))
        {
            yield return $"{Prefix}ChannelId is empty. Set it to the channel id from the 1MSG dashboard (e.g. 359900).";
        }
        else if (options.ChannelId.Trim().Any(c => char.IsWhiteSpace(c) || c is '/' or '?' or '#'))
        {
            yield return $"{Prefix}ChannelId \"{options.ChannelId}\" contains white space, '/', '?' or '#'. Set it to the channel id alone, e.g. 359900 or VID182868781.";
        }

        if (string.IsNullOrWhiteSpace(OneMsgClient.NormaliseToken(options.Token)))
        {
            yield return $"{Prefix}Token is empty. Set it to the channel's API token from the 1MSG dashboard, "
                + "from an environment variable (OneMsg__Token) or user secrets rather than a committed file.";
        }
        else if (OneMsgClient.NormaliseToken(options.Token).Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            yield return $"{Prefix}Token contains white space or control characters; copy the token again from the 1MSG dashboard.";
        }

        if (options.AttemptTimeout < MinAttemptTimeout || options.AttemptTimeout > MaxAttemptTimeout)
        {
            yield return $"{Prefix}AttemptTimeout must be between 10 milliseconds and 5 minutes (for example 00:00:10); it is {options.AttemptTimeout}.";
        }

        if (options.MaxRetries is < 0 or > MaxRetriesLimit)
        {
            yield return $"{Prefix}MaxRetries must be between 0 and {MaxRetriesLimit}; it is {options.MaxRetries}.";
        }

        var baseDelayInRange = options.RetryBaseDelay >= TimeSpan.Zero && options.RetryBaseDelay <= MaxDelay;
        if (!baseDelayInRange)
        {
            yield return $"{Prefix}RetryBaseDelay must be between 0 and 10 minutes (for example 00:00:00.500); it is {options.RetryBaseDelay}.";
        }

        if (options.MaxRetryDelay < TimeSpan.Zero || options.MaxRetryDelay > MaxDelay)
        {
            yield return $"{Prefix}MaxRetryDelay must be between 0 and 10 minutes (for example 00:00:30); it is {options.MaxRetryDelay}.";
        }
        else if (baseDelayInRange && options.MaxRetryDelay < options.RetryBaseDelay)
        {
            yield return $"{Prefix}MaxRetryDelay ({options.MaxRetryDelay}) is shorter than {Prefix}RetryBaseDelay ({options.RetryBaseDelay}); make it at least as long.";
        }
    }
}
