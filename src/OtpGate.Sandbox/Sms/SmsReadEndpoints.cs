using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using OtpGate.Sandbox.Messages;

namespace OtpGate.Sandbox.Sms;

/// <summary>
/// The stand-in's reads, with the send's Basic auth (401 20003 otherwise) and Twilio's 404 20404 for what it does not
/// have: a message (<c>GET .../Messages/{Sid}.json</c>, its status now, for polling), the account
/// (<c>GET /2010-04-01/Accounts/{AccountSid}.json</c>, which tells whether credentials work), the account's numbers
/// (<c>GET .../IncomingPhoneNumbers.json?PhoneNumber=</c>: the stand-in's own one) and a Messaging Service (messaging
/// API <c>GET /v1/Services/{Sid}</c>: the stand-in's own one), which tell whether a sender is allowed.
/// </summary>
internal static class SmsReadEndpoints
{
    public static IResult FetchMessage(string accountSid, string messageSid, HttpRequest request, SandboxMessages messages, IOptions<SandboxOptions> options)
    {
        var account = options.Value.Sms;
        if (!Authorized(request, account, accountSid))
        {
            return TwilioErrors.Authenticate();
        }

        var stored = messages.FindMessage(messageSid);
        return stored is { Category: SmsDelivery.Category }
            ? Results.Json(SmsMessage.FromStored(stored, account).ToJson(stored.Statuses))
            : TwilioErrors.NotFound($"/{SmsMessage.ApiVersion}/Accounts/{accountSid}/Messages/{messageSid}.json");
    }

    public static IResult FetchAccount(string accountSid, HttpRequest request, IOptions<SandboxOptions> options)
    {
        var account = options.Value.Sms;
        if (!Authorized(request, account, accountSid))
        {
            return TwilioErrors.Authenticate();
        }

        // Twilio's Account resource, without its auth_token: the sandbox answers no secret.
        const string Created = "Thu, 01 Jan 2026 00:00:00 +0000";
        return Results.Json(new JsonObject
        {
            ["sid"] = account.AccountSid,
            ["owner_account_sid"] = account.AccountSid,
            ["friendly_name"] = "OtpGate sandbox",
            ["status"] = "active",
            ["type"] = "Full",
            ["date_created"] = Created,
            ["date_updated"] = Created,
            ["uri"] = $"/{SmsMessage.ApiVersion}/Accounts/{account.AccountSid}.json",
        });
    }

    public static IResult FindIncomingNumber(string accountSid, HttpRequest request, IOptions<SandboxOptions> options)
    {
        var account = options.Value.Sms;
        if (!Authorized(request, account, accountSid))
        {
            return TwilioErrors.Authenticate();
        }

        var wanted = request.Query["PhoneNumber"].ToString();
        var uri = $"/{SmsMessage.ApiVersion}/Accounts/{account.AccountSid}/IncomingPhoneNumbers.json";
        var numbers = new JsonArray();
        if (wanted.Length == 0 || wanted == account.From)
        {
            numbers.Add(new JsonObject
            {
                ["sid"] = "PN00000000000000000000000000000001",
                ["account_sid"] = account.AccountSid,
                ["phone_number"] = account.From,
                ["friendly_name"] = account.From,
                ["capabilities"] = new JsonObject { ["sms"] = true, ["mms"] = false, ["voice"] = false, ["fax"] = false },
                ["status"] = "in-use",
            });
        }

        return Results.Json(new JsonObject
        {
            ["incoming_phone_numbers"] = numbers,
            ["page"] = 0,
            ["page_size"] = 50,
            ["start"] = 0,
            ["end"] = numbers.Count == 0 ? 0 : numbers.Count - 1,
            ["first_page_uri"] = uri + "?PageSize=50&Page=0",
            ["next_page_uri"] = null,
            ["previous_page_uri"] = null,
            ["uri"] = uri + "?PageSize=50&Page=0",
        });
    }

    public static IResult FetchMessagingService(string serviceSid, HttpRequest request, IOptions<SandboxOptions> options)
    {
        var account = options.Value.Sms;
        if (!SmsSendEndpoint.IsAuthorized(request, account))
        {
            return TwilioErrors.Authenticate();
        }

        return serviceSid == account.MessagingServiceSid
            ? Results.Json(new JsonObject
            {
                ["sid"] = account.MessagingServiceSid,
                ["account_sid"] = account.AccountSid,
                ["friendly_name"] = "OtpGate sandbox",
                ["use_inbound_webhook_on_number"] = false,
                ["validity_period"] = 36000,
                ["url"] = $"https://messaging.twilio.com/v1/Services/{account.MessagingServiceSid}",
            })
            : TwilioErrors.NotFound($"/Services/{serviceSid}");
    }

    private static bool Authorized(HttpRequest request, SandboxSmsOptions account, string accountSid) =>
        SmsSendEndpoint.IsAuthorized(request, account) && SmsSendEndpoint.FixedTimeEquals(accountSid, account.AccountSid);
}
