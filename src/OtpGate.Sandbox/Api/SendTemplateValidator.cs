using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OtpGate.Sandbox.Messages;
using OtpGate.Sandbox.Templates;

namespace OtpGate.Sandbox.Api;

/// <summary>A sendTemplate request that passed validation.</summary>
internal sealed record SendRequest(string Phone, TemplateInfo Template, IReadOnlyList<string> BodyParameters, string? ButtonCode, TimeSpan Ttl);

/// <summary>
/// Validates <c>POST {channel}/sendTemplate</c>, in this order (the first failing check answers):
/// <list type="number">
/// <item>body neither a JSON object nor form fields → 400 <c>{"message":"Wrong request: the body is not valid JSON"}</c>;</item>
/// <item>token (body, else query, else Bearer header) → 401 <c>{"error":"Wrong token ..."}</c>; an
///   unauthenticated caller gets 401 even for a malformed body (see <see cref="SendTemplateEndpoint"/>);</item>
/// <item>the recipient (<see cref="Recipient"/>): no <c>phone</c>/<c>chatId</c>/<c>bsuid</c>, both phone and chatId, or a
///   malformed one → 400 <c>Wrong phone number: ...</c>, <c>Wrong chatId: ...</c> or <c>Wrong bsuid: ...</c>
///   (from here on a request to a phone is counted for it);</item>
/// <item>no <c>template</c> or <c>language.code</c> → 400 <c>template is not defined</c>; no <c>namespace</c>
///   → 422 <c>namespace is not defined</c> (or 400 <c>template is not defined</c>, see <see cref="SandboxOptions.MissingNamespaceStatus"/>);</item>
/// <item>unknown name or language → 400 <c>template X with language Y does not exist (132001)</c>;
///   another namespace → 422 <c>namespace N does not match template X</c>;</item>
/// <item>template not approved → 400 <c>template X is not approved (status: paused)</c>;</item>
/// <item><c>language.policy</c> not <c>deterministic</c> → 400;</item>
/// <item>authentication template sent body-only → 200 <c>sent: false</c>; otherwise any parameter-count
///   mismatch or undefined component → 422 <c>Number of parameters does not match ... (132000): ...</c>;</item>
/// <item>a parameter without text → 400 (131008); an authentication code over 15 characters → 400 (131009);</item>
/// <item>body and button codes differ → 200 <c>sent: false</c>;</item>
/// <item><c>messageSendTtlSeconds</c> outside the category's range → 400.</item>
/// </list>
/// Then a BSUID recipient is refused (131062, in the endpoint); the rate limit and the scenario numbers come after.
/// </summary>
internal static class SendTemplateValidator
{
    public const string BodyOnlyMessage = "Authentication templates require the code in the body and in the copy-code button parameter";
    public const string DifferentCodesMessage = "The copy-code button must carry the same code as the body";
    public const int MaxCodeLength = 15;

    private static readonly TimeSpan CustomTtlMinusOne = TimeSpan.FromDays(30);

    /// <summary>Steps 4 to 11.</summary>
    public static Refusal? Validate(JsonElement request, string phone, TemplateCatalog catalog, SandboxOptions options, out SendRequest? send)
    {
        send = null;
        var name = request.GetString("template");
        request.TryGetProperty("language", out var language);
        var languageCode = language.ValueKind switch
        {
            JsonValueKind.Object => language.GetString("code"),
            JsonValueKind.String => language.GetString(),
            _ => null,
        };
        if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(languageCode))
        {
            return TemplateNotDefined();
        }

        var ns = request.GetString("namespace");
        if (string.IsNullOrWhiteSpace(ns))
        {
            return options.MissingNamespaceStatus == StatusCodes.Status400BadRequest
                ? TemplateNotDefined()
                : Refusal.Message(StatusCodes.Status422UnprocessableEntity, "namespace is not defined");
        }

        var template = catalog.FindByName(name).FirstOrDefault(t => t.Language == languageCode);
        if (template is null)
        {
            return Refusal.Message(StatusCodes.Status400BadRequest, $"template {name} with language {languageCode} does not exist (132001)");
        }

        if (template.Namespace != ns)
        {
            return Refusal.Message(StatusCodes.Status422UnprocessableEntity, $"namespace {ns} does not match template {name}");
        }

        if (!template.IsApproved)
        {
            return Refusal.Message(StatusCodes.Status400BadRequest, $"template {name} is not approved (status: {template.Status})");
        }

        if (language.ValueKind != JsonValueKind.Object || language.GetString("policy") != "deterministic")
        {
            return Refusal.Message(StatusCodes.Status400BadRequest, "language.policy must be \"deterministic\"");
        }

        var sent = SentComponents.Read(request);
        var refusal = TemplateParameters.CheckCounts(template, sent) ?? CheckValues(template, sent);
        if (refusal is not null)
        {
            return refusal;
        }

        var body = sent.Body?.Select(p => p!).ToList() ?? [];
        var buttonCode = sent.Buttons.Count > 0 ? sent.Buttons.OrderBy(b => b.Key).First().Value.Parameters.FirstOrDefault() : null;
        if (template.IsAuthentication && body.Count > 0 && buttonCode is not null && body[0] != buttonCode)
        {
            return Refusal.NotSent(DifferentCodesMessage);
        }

        refusal = ReadTtl(request, template, options, out var ttl);
        if (refusal is not null)
        {
            return refusal;
        }

        send = new SendRequest(phone, template, body, buttonCode, ttl);
        return null;
    }

    private static Refusal? CheckValues(TemplateInfo template, SentComponents sent)
    {
        IEnumerable<(string Where, IReadOnlyList<string?> Parameters)> all =
        [
            ("header", sent.Header ?? []),
            ("body", sent.Body ?? []),
            .. sent.Buttons.OrderBy(b => b.Key).Select(b => ($"button {b.Key}", (IReadOnlyList<string?>)b.Value.Parameters)),
        ];
        foreach (var (where, parameters) in all)
        {
            for (var i = 0; i < parameters.Count; i++)
            {
                if (parameters[i] is null)
                {
                    return Refusal.Message(StatusCodes.Status400BadRequest, $"(131008) Required parameter is missing: {where} parameter {i + 1} has no text");
                }

                if (template.IsAuthentication && parameters[i]!.Length > MaxCodeLength)
                {
                    return Refusal.Message(
                        StatusCodes.Status400BadRequest,
                        $"(131009) Parameter value is not valid: a verification code may have at most {MaxCodeLength} characters");
                }
            }
        }

        return null;
    }

    private static Refusal? ReadTtl(JsonElement request, TemplateInfo template, SandboxOptions options, out TimeSpan ttl)
    {
        var (min, max, fallback) = template.Category switch
        {
            "AUTHENTICATION" => (30, 900, options.DefaultMessageTtl),
            "UTILITY" => (30, 43_200, TimeSpan.FromDays(30)),
            _ => (43_200, 2_592_000, TimeSpan.FromDays(30)),
        };
        ttl = fallback;
        if (!request.TryGetProperty("messageSendTtlSeconds", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var minusOneAllowed = template.Category is "AUTHENTICATION" or "UTILITY";
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var seconds)
            || (seconds == -1 ? !minusOneAllowed : seconds < min || seconds > max))
        {
            return Refusal.Message(
                StatusCodes.Status400BadRequest,
                $"messageSendTtlSeconds must be between {min} and {max} seconds{(minusOneAllowed ? ", or -1," : "")} for {template.Category} templates");
        }

        ttl = seconds == -1 ? CustomTtlMinusOne : TimeSpan.FromSeconds(seconds);
        return null;
    }

    private static Refusal TemplateNotDefined() => Refusal.Message(StatusCodes.Status400BadRequest, "template is not defined");
}
