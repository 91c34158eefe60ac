namespace OtpGate.Sandbox.Templates;

/// <summary>
/// A template registered on the sandbox channel, as 1MSG's <c>/templates</c> reads it back.
/// Configuration can add more (other languages, a paused one, a UTILITY one).
/// </summary>
public sealed class SandboxTemplate
{
    public const string AuthenticationBody =
        "{{1}} is your verification code. For your security, do not share this code with anyone.";

    public const string AuthenticationFooter = "This code expires in 10 minutes.";

    /// <summary>What Meta shows when an authentication template's <c>otp</c> copy-code button is read back: a URL button with one variable.</summary>
    public const string CopyCodeUrl =
        "https://www.whatsapp.com/otp/code/?otp_type=COPY_CODE&code_expiration_minutes=10&code=otp{{1}}";

    public string Name { get; set; } = "";

    public string Namespace { get; set; } = "";

    public string Language { get; set; } = "";

    /// <summary><c>AUTHENTICATION</c>, <c>UTILITY</c> or <c>MARKETING</c>.</summary>
    public string Category { get; set; } = "AUTHENTICATION";

    /// <summary>Lowercase as 1MSG returns it: <c>approved</c>, <c>paused</c>, <c>rejected</c>, <c>pending</c>...</summary>
    public string Status { get; set; } = "approved";

    /// <summary>The template id; derived from the name and language when not set.</summary>
    public string? Id { get; set; }

    public string? HeaderText { get; set; }

    public string BodyText { get; set; } = AuthenticationBody;

    public string? FooterText { get; set; } = AuthenticationFooter;

    public IList<SandboxTemplateButton> Buttons { get; set; } = [new SandboxTemplateButton()];

    /// <summary>The template the sandbox always has: <c>registration_otp</c> / <c>otpgate_sandbox</c> / <c>en</c>, approved.</summary>
    public static SandboxTemplate DefaultAuthentication() => new()
    {
        Name = "registration_otp",
        Namespace = "otpgate_sandbox",
        Language = "en",
    };
}

/// <summary>A template button as read back from <c>/templates</c>.</summary>
public sealed class SandboxTemplateButton
{
    /// <summary><c>URL</c> (what an authentication copy-code button reads back as), <c>QUICK_REPLY</c>, <c>PHONE_NUMBER</c>.</summary>
    public string Type { get; set; } = "URL";

    public string Text { get; set; } = "Copy code";

    public string? Url { get; set; } = SandboxTemplate.CopyCodeUrl;
}
