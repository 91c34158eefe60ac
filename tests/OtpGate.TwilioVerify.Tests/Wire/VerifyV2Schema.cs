using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OtpGate.TwilioVerify.Tests.Wire;

/// <summary>The JSON types of Twilio's OpenAPI description, and the <c>format</c>s that matter to a client.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "Named after the OpenAPI types they stand for.")]
public enum FieldType
{
    String,
    Integer,
    Boolean,
    Object,
    Array,

    /// <summary><c>"type": "string", "format": "uri"</c>: here, an absolute URL on the OtpGate that answered.</summary>
    Uri,

    /// <summary><c>"type": "string", "format": "date-time"</c>.</summary>
    DateTime,

    /// <summary><c>"type": "object", "format": "uri-map"</c>: every value an absolute URL on the OtpGate that answered.</summary>
    UriMap,

    /// <summary>No <c>type</c> in the description (<c>push</c>, <c>totp</c>, <c>whatsapp</c>, <c>lookup</c>, <c>sna</c>): any JSON value.</summary>
    Any,
}

/// <summary>
/// One property of a response schema. <paramref name="Nullable"/> is the description's <c>nullable</c>;
/// <paramref name="Filled"/> says OtpGate must give a value (a field a Twilio application reads); <paramref name="Pattern"/>
/// is the description's pattern for a sid, checked whenever there is a value.
/// </summary>
public sealed record Field(string Name, FieldType Type, bool Nullable = true, bool Filled = false, string? Pattern = null);

/// <summary>
/// The fields checked, resource by resource. Source: Twilio's published OpenAPI description of Verify v2, in the
/// repository twilio/twilio-oai, file spec/json/twilio_verify_v2.json at commit 00c8d36829d67333c14bef357affd57851408ad7
/// (schemas <c>verify.v2.service</c>, <c>verify.v2.service.verification</c>,
/// <c>verify.v2.service.verification_check</c>, and the <c>meta</c> of <c>ListServiceResponse</c>). Every property is
/// <c>nullable: true</c> there except <c>code_length</c> (an integer, default 0). Every date in the description's
/// examples is written <c>2015-07-30T20:00:00Z</c>. The error body is not in that file: its fields are the ones Twilio's
/// libraries read into their exception (twilio/twilio-csharp <c>RestException</c>: code, message, more_info, status) and
/// Twilio's error reference (https://www.twilio.com/docs/api/errors).
/// </summary>
public static class VerifyV2Schema
{
    public const string ServiceSid = "^VA[0-9a-fA-F]{32}$";
    public const string VerificationSid = "^VE[0-9a-fA-F]{32}$";
    public const string AccountSid = "^AC[0-9a-fA-F]{32}$";
    public const string TemplateSid = "^HJ[0-9a-fA-F]{32}$";

    /// <summary><c>verify.v2.service</c>, in the description's order.</summary>
    public static readonly Field[] Service =
    [
        new("sid", FieldType.String, Filled: true, Pattern: ServiceSid),
        new("account_sid", FieldType.String, Filled: true, Pattern: AccountSid),
        new("friendly_name", FieldType.String, Filled: true),
        new("code_length", FieldType.Integer, Nullable: false, Filled: true),
        new("lookup_enabled", FieldType.Boolean),
        new("psd2_enabled", FieldType.Boolean),
        new("skip_sms_to_landlines", FieldType.Boolean),
        new("dtmf_input_required", FieldType.Boolean),
        new("tts_name", FieldType.String),
        new("do_not_share_warning_enabled", FieldType.Boolean),
        new("custom_code_enabled", FieldType.Boolean),
        new("push", FieldType.Any),
        new("totp", FieldType.Any),
        new("default_template_sid", FieldType.String, Pattern: TemplateSid),
        new("whatsapp", FieldType.Any),
        new("verify_event_subscription_enabled", FieldType.Boolean),
        new("date_created", FieldType.DateTime, Filled: true),
        new("date_updated", FieldType.DateTime, Filled: true),
        new("url", FieldType.Uri, Filled: true),
        new("links", FieldType.UriMap, Filled: true),
    ];

    /// <summary><c>verify.v2.service.verification</c>, in the description's order.</summary>
    public static readonly Field[] Verification =
    [
        new("sid", FieldType.String, Filled: true, Pattern: VerificationSid),
        new("service_sid", FieldType.String, Filled: true, Pattern: ServiceSid),
        new("account_sid", FieldType.String, Filled: true, Pattern: AccountSid),
        new("to", FieldType.String, Filled: true),
        new("channel", FieldType.String, Filled: true),
        new("status", FieldType.String, Filled: true),
        new("valid", FieldType.Boolean, Filled: true),
        new("lookup", FieldType.Any),
        new("amount", FieldType.String),
        new("payee", FieldType.String),
        new("send_code_attempts", FieldType.Array),
        new("date_created", FieldType.DateTime, Filled: true),
        new("date_updated", FieldType.DateTime, Filled: true),
        new("sna", FieldType.Any),
        new("url", FieldType.Uri, Filled: true),
    ];

    /// <summary><c>verify.v2.service.verification_check</c>, in the description's order: no url, lookup or attempts.</summary>
    public static readonly Field[] VerificationCheck =
    [
        new("sid", FieldType.String, Filled: true, Pattern: VerificationSid),
        new("service_sid", FieldType.String, Filled: true, Pattern: ServiceSid),
        new("account_sid", FieldType.String, Filled: true, Pattern: AccountSid),
        new("to", FieldType.String, Filled: true),
        new("channel", FieldType.String, Filled: true),
        new("status", FieldType.String, Filled: true),
        new("valid", FieldType.Boolean, Filled: true),
        new("amount", FieldType.String),
        new("payee", FieldType.String),
        new("date_created", FieldType.DateTime, Filled: true),
        new("date_updated", FieldType.DateTime, Filled: true),
        new("sna_attempts_error_codes", FieldType.Array),
    ];

    /// <summary>The <c>meta</c> of every Verify v2 list page (<c>ListServiceResponse</c>); Twilio's libraries read every one.</summary>
    public static readonly Field[] ListMeta =
    [
        new("first_page_url", FieldType.Uri, Filled: true),
        new("next_page_url", FieldType.Uri),
        new("page", FieldType.Integer, Filled: true),
        new("page_size", FieldType.Integer, Filled: true),
        new("previous_page_url", FieldType.Uri),
        new("url", FieldType.Uri, Filled: true),
        new("key", FieldType.String, Filled: true),
    ];

    /// <summary>Twilio's error body (see the class summary for its source).</summary>
    public static readonly Field[] Error =
    [
        new("code", FieldType.Integer, Filled: true),
        new("message", FieldType.String, Filled: true),
        new("more_info", FieldType.String, Filled: true),
        new("status", FieldType.Integer, Filled: true),
    ];

    /// <summary>The verification statuses and channels the description enumerates.</summary>
    public static readonly string[] Statuses = ["pending", "approved", "canceled", "max_attempts_reached", "deleted", "failed", "expired"];

    public static readonly string[] Channels = ["sms", "call", "email", "whatsapp", "sna"];

    /// <summary>
    /// Every field of <paramref name="fields"/> present in <paramref name="body"/> with its type, pattern and format;
    /// URLs absolute on <paramref name="root"/>. Returns one line per problem, so a failure lists them all.
    /// </summary>
    public static IReadOnlyList<string> Problems(JsonObject body, IEnumerable<Field> fields, Uri root)
    {
        var problems = new List<string>();
        foreach (var field in fields)
        {
            if (!body.TryGetPropertyValue(field.Name, out var value))
            {
                problems.Add($"{field.Name}: missing");
            }
            else if (value is null)
            {
                if (field.Filled || !field.Nullable)
                {
                    problems.Add($"{field.Name}: null, a value was expected");
                }
            }
            else if (Problem(field, value, root) is { } problem)
            {
                problems.Add($"{field.Name}: {problem} (was {value.ToJsonString()})");
            }
        }

        return problems;
    }

    private static string? Problem(Field field, JsonNode value, Uri root)
    {
        var kind = value.GetValueKind();
        return field.Type switch
        {
            FieldType.String when kind != JsonValueKind.String => "not a string",
            FieldType.String when field.Pattern is { } pattern && !System.Text.RegularExpressions.Regex.IsMatch(value.GetValue<string>(), pattern) => $"does not match {pattern}",
            FieldType.Integer when kind != JsonValueKind.Number || !value.AsValue().TryGetValue<long>(out _) => "not an integer",
            FieldType.Boolean when kind is not (JsonValueKind.True or JsonValueKind.False) => "not a boolean",
            FieldType.Object when kind != JsonValueKind.Object => "not an object",
            FieldType.Array when kind != JsonValueKind.Array => "not an array",
            FieldType.Uri => UrlProblem(value, root),
            FieldType.DateTime when kind != JsonValueKind.String || !IsTwilioDate(value.GetValue<string>()) => "not a UTC date-time written like 2015-07-30T20:00:00Z",
            FieldType.UriMap when kind != JsonValueKind.Object => "not an object",
            FieldType.UriMap => value.AsObject().Select(link => link.Value is null ? $"{link.Key} is null" : UrlProblem(link.Value, root) is { } p ? $"{link.Key} {p}" : null).FirstOrDefault(p => p is not null),
            _ => null,
        };
    }

    private static string? UrlProblem(JsonNode value, Uri root) =>
        value.GetValueKind() != JsonValueKind.String ? "not a string"
        : !System.Uri.TryCreate(value.GetValue<string>(), UriKind.Absolute, out var url) ? "not an absolute URL"
        : !root.IsBaseOf(url) ? $"not on {root}"
        : null;

    /// <summary>The examples' form: <c>yyyy-MM-ddTHH:mm:ssZ</c>, UTC, no fraction.</summary>
    public static bool IsTwilioDate(string text) =>
        DateTime.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out _);
}
