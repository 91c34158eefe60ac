using System.Net;
using OtpGate.Channels.Sms;
using OtpGate.Channels.Sms.Twilio;
using OtpGate.Cli.Sending;
using OtpGate.Server.Hosting;

namespace OtpGate.Cli.Doctor;

/// <summary>
/// The SMS channel's checks, when the server would have one: Twilio accepts the credentials, the sender is the
/// account's, and the status callback URL reaches a receiver (an unsigned POST answered 403 by it). Each failure says
/// which key to change.
/// </summary>
internal static class SmsChecks
{
    public const string CredentialsTitle = "SMS credentials accepted";
    public const string SenderTitle = "SMS sender allowed";
    public const string CallbackTitle = "SMS status callback reachable";

    public static async Task<IReadOnlyList<Check>> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        using var sms = SmsConnection.Open(context);
        if (sms is null)
        {
            return [];
        }

        SmsOptions options;
        try
        {
            options = sms.Options;
        }
        catch (CliException e)
        {
            return [Check.Fail("sms-options", CredentialsTitle, e.Message, "Correct the Sms keys named above.")];
        }

        var credentials = await CredentialsAsync(sms.Client, options.Twilio, sms.IsStandIn, cancellationToken);
        var sender = credentials.Verdict == Verdict.Pass
            ? await SenderAsync(sms.Client, options.Twilio, cancellationToken)
            : Check.Skip("sms-sender", SenderTitle, "Twilio did not accept the credentials.");
        return [credentials, sender, await CallbackAsync(CallbackUrl(context, options), cancellationToken)];
    }

    private static async Task<Check> CredentialsAsync(TwilioMessagingClient client, TwilioSmsOptions twilio, bool standIn, CancellationToken cancellationToken)
    {
        var where = standIn ? "the sandbox's Twilio stand-in" : "Twilio";
        var answer = await client.FetchAccountAsync(cancellationToken);
        var status = answer.Text("status");
        return answer switch
        {
            { IsSuccess: true } when status is "active" => Check.Pass("sms-credentials", CredentialsTitle, $"{where} accepted the credentials of account {twilio.AccountSid} (active)."),
            { IsSuccess: true } => Check.Fail("sms-credentials", CredentialsTitle, $"Account {twilio.AccountSid} is {status}, so it cannot send.",
                "Reactivate the account in the Twilio console, or set Sms:Twilio:AccountSid and AuthToken to an active one."),
            { Status: 401 or 403 or 404 } => Check.Fail("sms-credentials", CredentialsTitle, $"{where} refused the credentials for account {twilio.AccountSid} (HTTP {answer.Status}{(answer.Code is { } code ? $", code {code}" : "")}).",
                "Copy the Account SID and Auth Token from the Twilio console into Sms:Twilio:AccountSid and Sms:Twilio:AuthToken (the Sms__Twilio__AuthToken environment variable keeps it out of files), or fix Sms:Twilio:ApiKeySid and ApiKeySecret."),
            _ => Check.Fail("sms-credentials", CredentialsTitle, $"Could not ask {where}: {answer.Failure ?? $"HTTP {answer.Status}"}.",
                "Check Sms:Twilio:BaseUrl (https://api.twilio.com) and the network, then run the doctor again."),
        };
    }

    private static async Task<Check> SenderAsync(TwilioMessagingClient client, TwilioSmsOptions twilio, CancellationToken cancellationToken)
    {
        var from = twilio.From?.Trim();
        if (string.IsNullOrEmpty(from))
        {
            var service = twilio.MessagingServiceSid!.Trim();
            var found = await client.FetchMessagingServiceAsync(service, cancellationToken);
            return found.IsSuccess
                ? Check.Pass("sms-sender", SenderTitle, $"Messaging Service {service} exists on the account.")
                : Check.Fail("sms-sender", SenderTitle, $"Messaging Service {service} was not found (HTTP {found.Status?.ToString() ?? found.Failure}).",
                    "Set Sms:Twilio:MessagingServiceSid to one of the account's Messaging Services (Twilio console, Messaging, Services), or set Sms:Twilio:From instead.");
        }

        if (!from.StartsWith('+'))
        {
            return Check.Warn("sms-sender", SenderTitle, $"{from} is an alphanumeric sender id: Twilio allows it per country, which cannot be asked.",
                "Make sure the destination countries support alphanumeric sender ids, or use a number or a Messaging Service.");
        }

        var answer = await client.FindIncomingNumberAsync(from, cancellationToken);
        var numbers = answer.IsSuccess ? answer.Body!["incoming_phone_numbers"]?.AsArray() : null;
        var number = numbers?.FirstOrDefault(n => n?["phone_number"]?.ToString() == from);
        return (numbers, number) switch
        {
            (null, _) => Check.Fail("sms-sender", SenderTitle, $"Could not list the account's numbers ({answer.Failure ?? $"HTTP {answer.Status}"}).", "Check Sms:Twilio:BaseUrl and the network."),
            (_, null) => Check.Fail("sms-sender", SenderTitle, $"{from} is not a number of account {twilio.AccountSid}, so Twilio refuses to send from it.",
                "Set Sms:Twilio:From to one of the account's SMS-capable numbers (Twilio console, Phone Numbers), or set Sms:Twilio:MessagingServiceSid instead."),
            _ when number["capabilities"]?["sms"]?.GetValue<bool>() == false => Check.Fail("sms-sender", SenderTitle, $"{from} is on the account but cannot send SMS.",
                "Set Sms:Twilio:From to an SMS-capable number of the account."),
            _ => Check.Pass("sms-sender", SenderTitle, $"{from} is a number of the account that can send SMS."),
        };
    }

    /// <summary>As the server computes it: <c>Sms:StatusCallbackBaseUrl</c>, else <c>OneMsg:WebhookBaseUrl</c> (the embedded default: the server's address).</summary>
    private static string? CallbackUrl(CommandContext context, SmsOptions options)
    {
        var root = !string.IsNullOrWhiteSpace(options.StatusCallbackBaseUrl) ? options.StatusCallbackBaseUrl : context.Options<WebhookOptions>().WebhookBaseUrl;
        return string.IsNullOrWhiteSpace(root) ? null : root.Trim().TrimEnd('/') + SmsStatusCallbackUrl.Path;
    }

    private static async Task<Check> CallbackAsync(string? url, CancellationToken cancellationToken)
    {
        if (url is null)
        {
            return Check.Warn("sms-callback", CallbackTitle, "No public address is set, so Twilio cannot push SMS statuses; the server learns them only by polling, later.",
                "Set Sms:StatusCallbackBaseUrl (or OneMsg:WebhookBaseUrl) to the server's public https base URL.");
        }

        // Unsigned on purpose: the receiver answers 403 to it without reading storage, which shows it is there and checks signatures.
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            using var response = await http.PostAsync(url, new FormUrlEncodedContent([]), cancellationToken);
            return response.StatusCode switch
            {
                HttpStatusCode.Forbidden => Check.Pass("sms-callback", CallbackTitle, $"{url} answers an unsigned callback with 403: the receiver is there and checks signatures."),
                HttpStatusCode.NotFound => Check.Fail("sms-callback", CallbackTitle, $"{url} answered 404: no SMS receiver there.",
                    "Point Sms:StatusCallbackBaseUrl at this OtpGate server's public address, and give the server the same Sms section (its receiver answers only with SMS on)."),
                var other => Check.Fail("sms-callback", CallbackTitle, $"{url} answered HTTP {(int)other}, not the receiver's 403 to an unsigned request.",
                    "Point Sms:StatusCallbackBaseUrl at this OtpGate server's public address (a proxy in between must pass POST /webhooks/sms/twilio through)."),
            };
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return Check.Fail("sms-callback", CallbackTitle, $"{url} could not be reached ({e.Message.TrimEnd('.')}).",
                "Start the server, and set Sms:StatusCallbackBaseUrl to an address that reaches it from the internet.");
        }
    }
}
