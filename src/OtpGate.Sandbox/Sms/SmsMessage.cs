using System.Globalization;
using System.Text.Json.Nodes;

namespace OtpGate.Sandbox.Sms;

/// <summary>One SMS the stand-in accepted, as the send request gave it.</summary>
internal sealed record SmsMessage(
    string Sid,
    string AccountSid,
    string To,
    string? From,
    string? MessagingServiceSid,
    string Body,
    string? StatusCallback,
    DateTimeOffset CreatedAt)
{
    public const string ApiVersion = "2010-04-01";

    /// <summary>A send through a Messaging Service without <c>From</c> is <c>accepted</c> first, as on Twilio; else <c>queued</c>.</summary>
    public string FirstStatus => From is null ? SmsStatuses.Accepted : SmsStatuses.Queued;

    /// <summary>Twilio's Message resource, as the create answers it (price unknown yet, not sent yet).</summary>
    public JsonObject ToJson()
    {
        var uri = $"/{ApiVersion}/Accounts/{AccountSid}/Messages/{Sid}";
        var created = Rfc2822(CreatedAt);
        return new JsonObject
        {
            ["account_sid"] = AccountSid,
            ["api_version"] = ApiVersion,
            ["body"] = Body,
            ["date_created"] = created,
            ["date_sent"] = null,
            ["date_updated"] = created,
            ["direction"] = "outbound-api",
            ["error_code"] = null,
            ["error_message"] = null,
            ["from"] = From,
            ["messaging_service_sid"] = MessagingServiceSid,
            ["num_media"] = "0",
            ["num_segments"] = Segments(Body).ToString(CultureInfo.InvariantCulture),
            ["price"] = null,
            ["price_unit"] = "USD",
            ["sid"] = Sid,
            ["status"] = FirstStatus,
            ["subresource_uris"] = new JsonObject { ["media"] = uri + "/Media.json" },
            ["to"] = To,
            ["uri"] = uri + ".json",
        };
    }

    /// <summary>The form fields of a status callback, as Twilio posts them (<c>ErrorCode</c> only on a failure).</summary>
    public List<KeyValuePair<string, string>> CallbackForm(string status, int? errorCode)
    {
        List<KeyValuePair<string, string>> form =
        [
            new("AccountSid", AccountSid),
            new("ApiVersion", ApiVersion),
            new("MessageSid", Sid),
            new("MessageStatus", status),
            new("SmsSid", Sid),
            new("SmsStatus", status),
            new("To", To),
        ];
        if (From is not null)
        {
            form.Add(new("From", From));
        }

        if (MessagingServiceSid is not null)
        {
            form.Add(new("MessagingServiceSid", MessagingServiceSid));
        }

        if (errorCode is { } code)
        {
            form.Add(new("ErrorCode", code.ToString(CultureInfo.InvariantCulture)));
        }

        return form;
    }

    /// <summary>GSM-7 text goes 160 characters to a segment (153 when split), anything else 70 (67); close enough for the sandbox.</summary>
    private static int Segments(string body)
    {
        var gsm = body.All(c => c < 128);
        var (single, multi) = gsm ? (160, 153) : (70, 67);
        return body.Length <= single ? 1 : (body.Length + multi - 1) / multi;
    }

    private static string Rfc2822(DateTimeOffset at) =>
        at.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
}
