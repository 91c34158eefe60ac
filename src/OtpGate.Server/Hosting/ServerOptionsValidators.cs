using Microsoft.Extensions.Options;

namespace OtpGate.Server.Hosting;

/// <summary>
/// The server's start-up checks (the storage's is the engine's <c>StorageOptionsValidator</c>). Each message names the
/// key, says what is wrong and gives an example, so that a wrong setting stops the server with a sentence instead of
/// failing later at the first send.
/// </summary>
internal sealed class WebhookOptionsValidator(OneMsgMode mode) : IValidateOptions<WebhookOptions>
{
    public const int MinSecretLength = 22; // 22 base64url characters carry 132 bits

    // Under Kestrel's own request body limit (30,000,000 bytes), which would otherwise answer first.
    private const int MaxBodyMegabytes = 25;

    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var errors = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.WebhookBaseUrl)
            && (!Uri.TryCreate(options.WebhookBaseUrl, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https") || baseUrl.Query.Length > 0 || baseUrl.Fragment.Length > 0))
        {
            errors.Add($"OneMsg:WebhookBaseUrl is \"{options.WebhookBaseUrl}\"; it must be the absolute http(s) address where 1MSG reaches this server, without a query, e.g. https://otp.example.com.");
        }

        if (!mode.IsSandbox && options.RegisterWebhook == true && string.IsNullOrWhiteSpace(options.WebhookBaseUrl))
        {
            errors.Add("OneMsg:RegisterWebhook is true but OneMsg:WebhookBaseUrl is empty; set it to the public https address 1MSG can reach, e.g. https://otp.example.com.");
        }

        if (options.WebhookSecret is { Length: > 0 } secret
            && (secret.Length < MinSecretLength || !secret.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            errors.Add($"OneMsg:WebhookSecret must be at least {MinSecretLength} random letters, digits, '-' or '_' (128 bits or more), e.g. the output of `openssl rand -hex 32`; or leave it empty to have one generated into the data directory.");
        }

        if (options.WebhookMaxBodyMegabytes is < 1 or > MaxBodyMegabytes)
        {
            errors.Add($"OneMsg:WebhookMaxBodyMegabytes is {options.WebhookMaxBodyMegabytes}; it must be from 1 to {MaxBodyMegabytes} (megabytes of one webhook body), e.g. 4.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

internal sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    /// <summary>
    /// Every key long enough, and every name used once across <c>Keys</c>, <c>ServiceKeys</c> and <c>AdminKeys</c>: the
    /// owner of a verification is <c>key:&lt;name&gt;</c>, so a name is one key wherever it is declared.
    /// </summary>
    private static void ValidateKeys(ApiOptions options, List<string> errors)
    {
        IEnumerable<(string Path, string Name, string Key)> all =
        [
            .. options.Keys.Select(pair => ($"Api:Keys:{pair.Key}", pair.Key, pair.Value)),
            .. options.ServiceKeys.Select(pair => ($"Api:ServiceKeys:{pair.Key}:Key", pair.Key, pair.Value.Key)),
            .. options.AdminKeys.Select(pair => ($"Api:AdminKeys:{pair.Key}", pair.Key, pair.Value)),
        ];
        foreach (var (path, _, key) in all)
        {
            if (string.IsNullOrWhiteSpace(key) || key.Trim().Length < MinKeyLength || key.Trim().Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                // The key itself is never repeated: configuration errors end up in logs.
                errors.Add($"{path} must be at least {MinKeyLength} characters without spaces, e.g. the output of `openssl rand -base64 24`.");
            }
        }

        foreach (var name in all.GroupBy(k => k.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            errors.Add($"The API key name \"{name}\" is used more than once among Api:Keys, Api:ServiceKeys and Api:AdminKeys; each name must be one key.");
        }

        foreach (var (name, _) in options.ServiceKeys.Where(pair => !OtpGate.Verification.Services.Service.IsValidId(pair.Value.Service)))
        {
            errors.Add($"Api:ServiceKeys:{name}:Service must name a service (lower-case letters, digits, '-' and '_'), e.g. \"default\" or a Services:<name>.");
        }
    }

    public const int MinKeyLength = 16;

    // Each open stream costs about 45 KiB: 100,000 of them would be 4.5 GiB.
    private const int MaxStreams = 100_000;

    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        var errors = new List<string>();
        ValidateKeys(options, errors);

        if (options.RateLimit.PerKeyPerMinute < 1)
        {
            errors.Add($"Api:RateLimit:PerKeyPerMinute is {options.RateLimit.PerKeyPerMinute}; it must be at least 1, e.g. 600.");
        }

        if (options.RateLimit.PerIpPerMinute < 1)
        {
            errors.Add($"Api:RateLimit:PerIpPerMinute is {options.RateLimit.PerIpPerMinute}; it must be at least 1, e.g. 60.");
        }

        var streams = options.EventStreams;
        foreach (var (key, value, example) in new[] { ("PerSession", streams.PerSession, 4), ("PerAddress", streams.PerAddress, 20), ("PerKey", streams.PerKey, 100) })
        {
            if (value is < 1 or > MaxStreams)
            {
                errors.Add($"Api:EventStreams:{key} is {value}; it must be between 1 and {MaxStreams:N0} open event streams, e.g. {example}.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
