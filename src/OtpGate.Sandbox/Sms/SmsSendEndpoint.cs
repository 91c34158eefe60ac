using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using OtpGate.Sandbox.Messages;

namespace OtpGate.Sandbox.Sms;

/// <summary>
/// <c>POST /2010-04-01/Accounts/{AccountSid}/Messages.json</c>: Twilio Programmable Messaging's send, form-encoded, with
/// HTTP Basic auth (account sid and auth token). Checks as Twilio does, in its order: auth, then the parameters, then the
/// scenario number; an accepted SMS joins the phone's conversation and its status callbacks are planned.
/// </summary>
internal static partial class SmsSendEndpoint
{
    public static async Task<IResult> HandleAsync(
        string accountSid,
        HttpRequest request,
        SandboxMessages messages,
        SmsDelivery delivery,
        IOptions<SandboxOptions> options,
        TimeProvider timeProvider)
    {
        var account = options.Value.Sms;
        if (!IsAuthorized(request, account) || !FixedTimeEquals(accountSid, account.AccountSid))
        {
            return TwilioErrors.Authenticate();
        }

        var form = request.HasFormContentType ? await request.ReadFormAsync(request.HttpContext.RequestAborted) : FormCollection.Empty;
        string? Field(string name) => form[name] is { Count: > 0 } values && !string.IsNullOrEmpty(values[0]) ? values[0] : null;
        var to = Field("To");
        var from = Field("From");
        var service = Field("MessagingServiceSid");
        var body = Field("Body");
        if (to is null || !E164().IsMatch(to))
        {
            return TwilioErrors.InvalidTo();
        }

        if (from is null && service is null)
        {
            return TwilioErrors.FromRequired();
        }

        // Only the account's own sender, as on Twilio (a number not on the account, a Messaging Service of another).
        if (from is not null && from != account.From)
        {
            return TwilioErrors.FromNotOnAccount();
        }

        if (from is null && service != account.MessagingServiceSid)
        {
            return TwilioErrors.MessagingServiceNotFound();
        }

        if (body is null)
        {
            return TwilioErrors.BodyRequired();
        }

        var digits = to[1..];
        messages.CountRequest(digits);
        var scenario = SmsScenarios.For(digits);
        switch (scenario)
        {
            case SmsScenario.RateLimited:
                return TwilioErrors.TooManyRequests();
            case SmsScenario.ServerError:
                return TwilioErrors.InternalError();
            case SmsScenario.Landline:
                return TwilioErrors.NotMobile();
        }

        var sms = new SmsMessage(
            "SM" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            account.AccountSid, to, from, service, body, Field("StatusCallback"), timeProvider.GetUtcNow());
        delivery.Accept(sms, scenario);
        return Results.Json(sms.ToJson(), statusCode: StatusCodes.Status201Created);
    }

    internal static bool IsAuthorized(HttpRequest request, SandboxSmsOptions account)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return colon > 0
            && FixedTimeEquals(decoded[..colon], account.AccountSid)
            && FixedTimeEquals(decoded[(colon + 1)..], account.AuthToken);
    }

    internal static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    [GeneratedRegex(@"^\+[1-9][0-9]{5,14}$")]
    private static partial Regex E164();
}
