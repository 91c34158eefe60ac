using OtpGate.OneMsg.Templates;

namespace OtpGate.OneMsg.Sending;

/// <summary>
/// A general <c>sendTemplate</c> call: which template, to whom (exactly one of <see cref="Phone"/> or
/// <see cref="ChatId"/>), and the components that fill its variables. Send only the components the template
/// defines with variables (1MSG compares the counts). For authentication codes use
/// <see cref="OneMsgClient.SendAuthenticationCodeAsync"/>, which builds the components for you.
/// </summary>
/// <param name="Template">The template's name, namespace and language, as <c>/templates</c> lists them.</param>
/// <param name="Components">The components with parameters, in the template's order.</param>
public sealed record SendTemplateRequest(TemplateReference Template, IReadOnlyList<TemplateComponent> Components)
{
    /// <summary>The largest <see cref="MessageSendTtlSeconds"/> WhatsApp accepts (30 days, marketing).</summary>
    public const int MaxTtlSeconds = 2_592_000;

    /// <summary>
    /// The recipient's number (sent as <c>phone</c>) in international form, digits only, country code first
    /// (<c>12125550100</c>). Leave null when using <see cref="ChatId"/>.
    /// </summary>
    public string? Phone { get; init; }

    /// <summary>The recipient as a chat id (<c>digits@c.us</c>, a group <c>@g.us</c>, or <c>@lid</c>). Leave null when using <see cref="Phone"/>.</summary>
    public string? ChatId { get; init; }

    /// <summary>
    /// How long WhatsApp keeps trying to deliver (<c>messageSendTtlSeconds</c>): 30–900 for authentication,
    /// up to 43,200 for utility, or -1 for the 30-day custom TTL. Null leaves Meta's default (10 minutes for authentication).
    /// </summary>
    public int? MessageSendTtlSeconds { get; init; }

    /// <summary>Returns a sentence saying what is wrong with the request, or null when it can be sent. Never quotes parameter values.</summary>
    public string? Validate()
    {
        if (Template is null)
        {
            return "The template reference is missing.";
        }

        if (Template.Validate() is { } templateProblem)
        {
            return templateProblem;
        }

        if (string.IsNullOrWhiteSpace(Phone) == string.IsNullOrWhiteSpace(ChatId))
        {
            return "Give exactly one recipient: either Phone or ChatId.";
        }

        if (Phone is not null && !Phone.Trim().All(char.IsAsciiDigit))
        {
            return "The phone number must be digits only, country code first, such as 12125550100.";
        }

        if (ChatId is not null && ChatId.Any(char.IsWhiteSpace))
        {
            return "The chat id contains white space; it looks like 12125550100@c.us.";
        }

        if (MessageSendTtlSeconds is { } ttl && ttl != -1 && ttl is < 30 or > MaxTtlSeconds)
        {
            return $"The message TTL must be between 30 and {MaxTtlSeconds} seconds, or -1; it is {ttl}.";
        }

        if (Components is null)
        {
            return "The component list is missing; pass an empty list for a template without variables.";
        }

        for (var i = 0; i < Components.Count; i++)
        {
            if (Components[i] is null)
            {
                return $"Component {i} is missing.";
            }

            if (Components[i].Validate() is { } problem)
            {
                return $"Component {i}: {problem}";
            }
        }

        return null;
    }
}

/// <summary>
/// One Cloud-API component of a send (<c>body</c>, <c>header</c>, or <c>button</c> with its
/// <see cref="SubType"/> and <see cref="Index"/>), with the parameters that fill its variables.
/// </summary>
/// <param name="Type">The component type: <c>body</c>, <c>header</c> or <c>button</c>.</param>
/// <param name="Parameters">The parameters, one per variable, in order.</param>
public sealed record TemplateComponent(string Type, IReadOnlyList<TemplateParameter> Parameters)
{
    /// <summary>For buttons: <c>url</c>, <c>quick_reply</c>, <c>copy_code</c>, …</summary>
    public string? SubType { get; init; }

    /// <summary>For buttons: the 0-based position among the template's buttons. Sent as a string (<c>"0"</c>).</summary>
    public int? Index { get; init; }

    /// <summary>A body component whose variables <c>{{1}}</c>, <c>{{2}}</c>, … take these texts.</summary>
    public static TemplateComponent Body(params IReadOnlyList<string> texts) =>
        new("body", [.. texts.Select(TemplateParameter.ForText)]);

    /// <summary>A header component whose variable takes these texts.</summary>
    public static TemplateComponent Header(params IReadOnlyList<string> texts) =>
        new("header", [.. texts.Select(TemplateParameter.ForText)]);

    /// <summary>
    /// A URL button whose variable takes <paramref name="text"/>. An authentication template's copy-code
    /// button reads back as a URL button, so this is how its code is sent (<c>sub_type: "url"</c>).
    /// </summary>
    public static TemplateComponent UrlButton(int index, string text) =>
        new("button", [TemplateParameter.ForText(text)]) { SubType = "url", Index = index };

    /// <summary>A copy-code (coupon) button carrying <paramref name="code"/>.</summary>
    public static TemplateComponent CopyCodeButton(int index, string code) =>
        new("button", [TemplateParameter.ForCouponCode(code)]) { SubType = "copy_code", Index = index };

    /// <summary>A quick-reply button carrying <paramref name="payload"/> back when pressed.</summary>
    public static TemplateComponent QuickReplyButton(int index, string payload) =>
        new("button", [TemplateParameter.ForPayload(payload)]) { SubType = "quick_reply", Index = index };

    internal string? Validate()
    {
        if (string.IsNullOrWhiteSpace(Type))
        {
            return "the component type is empty (body, header or button).";
        }

        if (string.Equals(Type, "button", StringComparison.OrdinalIgnoreCase) && (string.IsNullOrWhiteSpace(SubType) || Index is not >= 0))
        {
            return "a button needs a sub type (url, quick_reply, copy_code, …) and an index of 0 or more.";
        }

        if (Parameters is null || Parameters.Any(p => p is null))
        {
            return "the parameter list is missing or holds a null.";
        }

        return Parameters.Select(p => p.Validate()).FirstOrDefault(problem => problem is not null);
    }
}

/// <summary>
/// One parameter value. <see cref="ToString"/> never shows the value, because for authentication
/// templates it is the code.
/// </summary>
/// <param name="Type">The parameter type: <c>text</c>, <c>payload</c>, <c>coupon_code</c>, …</param>
public sealed record TemplateParameter(string Type)
{
    /// <summary>The text, for <c>text</c> parameters.</summary>
    public string? Text { get; init; }

    /// <summary>The payload, for <c>payload</c> (quick-reply) parameters.</summary>
    public string? Payload { get; init; }

    /// <summary>The code, for <c>coupon_code</c> parameters.</summary>
    public string? CouponCode { get; init; }

    /// <summary>A <c>text</c> parameter.</summary>
    public static TemplateParameter ForText(string text) => new("text") { Text = text };

    /// <summary>A <c>payload</c> parameter (quick-reply buttons).</summary>
    public static TemplateParameter ForPayload(string payload) => new("payload") { Payload = payload };

    /// <summary>A <c>coupon_code</c> parameter (copy-code buttons).</summary>
    public static TemplateParameter ForCouponCode(string code) => new("coupon_code") { CouponCode = code };

    /// <inheritdoc />
    public override string ToString() => $"TemplateParameter {{ Type = {Type}, Value = {Redactor.Mask} }}";

    internal string? Validate() => string.IsNullOrWhiteSpace(Type)
        ? "a parameter has no type."
        : Text is null && Payload is null && CouponCode is null
            ? $"a {Type} parameter has no value."
            : null;
}
