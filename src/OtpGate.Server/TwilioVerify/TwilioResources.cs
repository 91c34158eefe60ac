using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Services;
using OtpGate.Verification.Verifications;

namespace OtpGate.Server.TwilioVerify;

/// <summary>
/// The JSON of Twilio's Verify v2 resources, every field of their published schemas in Twilio's names, null (or false,
/// or an empty object) where OtpGate has nothing to say; docs/twilio-verify.md lists which. Dates are UTC
/// <c>yyyy-MM-ddTHH:mm:ssZ</c>, as every example of Twilio's description; urls are absolute, to this server.
/// </summary>
internal static class TwilioResources
{
    /// <summary>OtpGate's channel for WhatsApp (and Twilio's name for it); <c>sms</c> is the other, when an SMS channel is configured.</summary>
    public const string WhatsApp = "whatsapp";

    /// <summary>
    /// Twilio writes <c>"to":"+15017122661"</c>; System.Text.Json's default encoder writes <c>\u002B</c>, which every
    /// library parses but curl users and logs see. These answers are application/json, never HTML, so the relaxed
    /// encoder is safe here (and only here: the rest of OtpGate keeps the default).
    /// </summary>
    public static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A <c>/v2</c> answer: the resource as Twilio writes it, with <paramref name="status"/>.</summary>
    public static IResult Answer(JsonNode body, int status = StatusCodes.Status200OK) =>
        Results.Text(body.ToJsonString(Json), "application/json", Encoding.UTF8, status);

    public static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Base(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}/v2";

    public static JsonObject Service(Service service, string accountSid, string baseUrl)
    {
        var url = $"{baseUrl}/Services/{service.Sid}";
        return new JsonObject
        {
            ["sid"] = service.Sid,
            ["account_sid"] = accountSid,
            ["friendly_name"] = service.FriendlyName,
            ["code_length"] = service.Settings.CodeLength,
            ["lookup_enabled"] = false,
            ["psd2_enabled"] = false,
            ["skip_sms_to_landlines"] = false,
            ["dtmf_input_required"] = false,
            ["tts_name"] = null,
            ["do_not_share_warning_enabled"] = false,
            ["custom_code_enabled"] = service.Settings.CustomCodeEnabled,
            ["push"] = new JsonObject { ["include_date"] = false, ["apn_credential_sid"] = null, ["fcm_credential_sid"] = null },
            ["totp"] = new JsonObject { ["issuer"] = null, ["time_step"] = null, ["code_length"] = null, ["skew"] = null },
            ["default_template_sid"] = null,
            ["whatsapp"] = new JsonObject { ["msg_service_sid"] = null, ["from"] = null },
            ["passkeys"] = null,
            ["verify_event_subscription_enabled"] = false,
            ["date_created"] = Date(service.CreatedAt),
            ["date_updated"] = Date(service.UpdatedAt),
            ["url"] = url,
            // Only the resources this server answers; Twilio's others (rate limits, webhooks, entities ...) are not here.
            ["links"] = new JsonObject { ["verifications"] = url + "/Verifications", ["verification_checks"] = url + "/VerificationCheck" },
        };
    }

    public static JsonObject Verification(VerificationSnapshot verification, Service service, string accountSid, string baseUrl)
    {
        var sid = TwilioSids.Verification(verification.Id);
        var body = Common(verification, service, accountSid, sid);
        body["lookup"] = new JsonObject { ["carrier"] = null };
        body["amount"] = null;
        body["payee"] = null;
        body["send_code_attempts"] = new JsonArray([.. verification.Sends.Select(send => (JsonNode)new JsonObject
        {
            ["attempt_sid"] = TwilioSids.Attempt(verification.Id, send.Sequence),
            ["channel"] = send.Channel,
            ["time"] = Date(send.CreatedAt),
        })]);
        body["date_created"] = Date(verification.CreatedAt);
        body["date_updated"] = Date(Updated(verification));
        body["sna"] = null;
        body["url"] = $"{baseUrl}/Services/{service.Sid}/Verifications/{sid}";
        return body;
    }

    public static JsonObject Check(VerificationSnapshot verification, Service service, string accountSid)
    {
        var body = Common(verification, service, accountSid, TwilioSids.Verification(verification.Id));
        body["amount"] = null;
        body["payee"] = null;
        body["date_created"] = Date(verification.CreatedAt);
        body["date_updated"] = Date(Updated(verification));
        body["sna_attempts_error_codes"] = new JsonArray();
        return body;
    }

    private static JsonObject Common(VerificationSnapshot verification, Service service, string accountSid, string sid) => new()
    {
        ["sid"] = sid,
        ["service_sid"] = service.Sid,
        ["account_sid"] = accountSid,
        ["to"] = "+" + verification.Phone,
        ["channel"] = verification.Channel,
        ["status"] = verification.Status.ToWireName(),
        ["valid"] = verification.Status == VerificationStatus.Approved,
    };

    // The last change the timeline recorded (a send, a check, the end), or the start.
    private static DateTimeOffset Updated(VerificationSnapshot verification) =>
        verification.Timeline.Count == 0 ? verification.CreatedAt : verification.Timeline.Max(entry => entry.At);
}
