using System.Globalization;
using System.Text.Json.Nodes;
using OtpGate.Sandbox.Messages;

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

    /// <summary>
    /// The SMS as the message store keeps it (the statuses it went through): its sender is the account's number when it
    /// started <c>queued</c>, else the account's Messaging Service (<see cref="FirstStatus"/>).
    /// </summary>
    public static SmsMessage FromStored(SandboxMessage stored, SandboxSmsOptions account)
    {
        var viaNumber = stored.Statuses is [{ Status: SmsStatuses.Queued }, ..];
        return new SmsMessage(stored.Id, account.AccountSid, "+" + stored.Phone, viaNumber ? account.From : null,
            viaNumber ? null : account.MessagingServiceSid, stored.Text, null, stored.AcceptedAt);
    }

    /// <summary>
    /// Twilio's Message resource: as the create answers it (price unknown, not sent yet), or with the status the store
    /// holds now (<paramref name="statuses"/>), as a fetch answers it.
    /// </summary>
    public JsonObject ToJson(IReadOnlyList<SandboxStatusChange>? statuses = null)
    {
        var uri = $"/{ApiVersion}/Accounts/{AccountSid}/Messages/{Sid}";
        var created = Rfc2822(CreatedAt);
        var latest = statuses is [.., var last] ? last : null;
        var sent = statuses?.FirstOrDefault(s => s.Status == SmsStatuses.Sent);
        return new JsonObject
        {
            ["account_sid"] = AccountSid,
            ["api_version"] = ApiVersion,
            ["body"] = Body,
            ["date_created"] = created,
            ["date_sent"] = sent is null ? null : Rfc2822(sent.At),
            ["date_updated"] = latest is null ? created : Rfc2822(latest.At),
            ["direction"] = "outbound-api",
            ["error_code"] = latest?.Error?.Code,
            ["error_message"] = null,
            ["from"] = From,
            ["messaging_service_sid"] = MessagingServiceSid,
            ["num_media"] = "0",
            ["num_segments"] = Segments(Body).ToString(CultureInfo.InvariantCulture),
            ["price"] = null,
            ["price_unit"] = "USD",
            ["sid"] = Sid,
            ["status"] = latest?.Status ?? FirstStatus,
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

    internal static string Rfc2822(DateTimeOffset at) =>
        at.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
}
