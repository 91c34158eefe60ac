using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using OtpGate.Server.Hosting;
using OtpGate.Verification.Services;

namespace OtpGate.Server.TwilioVerify;

/// <summary>
/// <c>Api:TwilioAccounts:&lt;name&gt;</c>: an account declared in configuration, so a team keeps the account sid and
/// auth token its application already has. It acts in <see cref="Service"/>, or in every service when
/// <see cref="Admin"/> is true (exactly one of the two).
/// </summary>
public sealed class TwilioAccountOptions
{
    public string AccountSid { get; set; } = "";

    public string AuthToken { get; set; } = "";

    public string? Service { get; set; }

    public bool Admin { get; set; }

    // The token never appears in logs or errors.
    public override string ToString() => $"TwilioAccountOptions {{ AccountSid = {AccountSid}, Service = {Service}, Admin = {Admin} }}";
}

/// <summary>Checks every <c>Api:TwilioAccounts:&lt;name&gt;</c> at start-up (and in <c>otpgate doctor</c>), one sentence per problem.</summary>
internal sealed partial class TwilioAccountsValidator : IValidateOptions<ApiOptions>
{
    public const int MinTokenLength = 16;

    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        var errors = new List<string>();
        foreach (var (account, declared) in options.TwilioAccounts)
        {
            var path = $"Api:TwilioAccounts:{account}";
            if (!AccountSidPattern().IsMatch(declared.AccountSid ?? ""))
            {
                errors.Add($"{path}:AccountSid must be \"AC\" and 32 hex digits, as Twilio's account sids, e.g. AC0123456789abcdef0123456789abcdef.");
            }

            var token = declared.AuthToken ?? "";
            if (token.Length < MinTokenLength || token.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                // The token itself is never repeated: configuration errors end up in logs.
                errors.Add($"{path}:AuthToken must be at least {MinTokenLength} characters without spaces, e.g. the auth token your application uses with Twilio.");
            }

            if (declared.Admin == !string.IsNullOrEmpty(declared.Service))
            {
                errors.Add($"{path} needs exactly one of Service (the service it acts in, e.g. \"default\") and Admin: true (every service).");
            }
            else if (declared.Service is { Length: > 0 } service && !Service.IsValidId(service))
            {
                errors.Add($"{path}:Service must name a service (lower-case letters, digits, '-' and '_'), e.g. \"default\" or a Services:<name>.");
            }
        }

        foreach (var sid in options.TwilioAccounts.Values.GroupBy(a => a.AccountSid, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            errors.Add($"The account sid {sid} is declared more than once under Api:TwilioAccounts; each account is declared once.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    [GeneratedRegex("^AC[0-9a-fA-F]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountSidPattern();
}
