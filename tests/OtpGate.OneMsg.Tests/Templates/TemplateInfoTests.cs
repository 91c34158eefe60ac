using OtpGate.OneMsg.Templates;

namespace OtpGate.OneMsg.Tests.Templates;

public sealed class TemplateInfoTests
{
    private static readonly TemplateComponentInfo AuthBody = new("BODY", null, "{{1}} is your verification code. For your security, do not share this code.", []);
    private static readonly TemplateComponentInfo Footer = new("FOOTER", null, "This code expires in 10 minutes.", []);
    private static readonly TemplateComponentInfo CopyButton = new("BUTTONS", null, null,
        [new TemplateButtonInfo("URL", "Copy code", "https://www.whatsapp.com/otp/code/?otp_type=COPY_CODE&code={{1}}")]);

    private static TemplateInfo Auth(params TemplateComponentInfo[] components) =>
        new("otp_code", "ns", "en", "AUTHENTICATION", "APPROVED", "NONE", components.Length == 0 ? [AuthBody, Footer, CopyButton] : components);

    [Fact]
    public void An_approved_authentication_template_with_a_copy_code_button_fits()
    {
        var template = Auth();

        Assert.Null(template.AuthenticationCodeProblem);
        Assert.True(template.IsUsableForAuthenticationCode);
        Assert.Equal(1, template.BodyVariableCount);
        Assert.Equal("This code expires in 10 minutes.", template.FooterText);
        Assert.Equal(10, template.CodeExpiryMinutes);
        Assert.Equal(new TemplateReference("otp_code", "ns", "en"), template.ToReference());
    }

    [Fact]
    public void An_otp_button_fits_as_well_as_a_url_button()
    {
        var template = Auth(AuthBody, new TemplateComponentInfo("BUTTONS", null, null, [new TemplateButtonInfo("OTP", "Copy code", null) { OtpType = "COPY_CODE" }]));

        Assert.True(template.IsUsableForAuthenticationCode);
        Assert.Null(template.FooterText);
        Assert.Null(template.CodeExpiryMinutes);
    }

    [Fact]
    public void Each_misfit_is_named()
    {
        Assert.Contains("MARKETING", (Auth() with { Category = "MARKETING" }).AuthenticationCodeProblem);
        Assert.Contains("PAUSED", (Auth() with { Status = "PAUSED" }).AuthenticationCodeProblem);
        Assert.Contains("2 body variables", Auth(new TemplateComponentInfo("BODY", null, "{{1}} and {{2}}", []), CopyButton).AuthenticationCodeProblem);
        Assert.Contains("no button", Auth(AuthBody).AuthenticationCodeProblem);
        Assert.Contains("0 variables", Auth(AuthBody, new TemplateComponentInfo("BUTTONS", null, null, [new TemplateButtonInfo("URL", "Open", "https://example.com")])).AuthenticationCodeProblem);
        Assert.Contains("QUICK_REPLY", Auth(AuthBody, new TemplateComponentInfo("BUTTONS", null, null, [new TemplateButtonInfo("QUICK_REPLY", "Ok", null)])).AuthenticationCodeProblem);
        Assert.Contains("namespace", (Auth() with { Namespace = null }).AuthenticationCodeProblem);
    }

    [Theory]
    [InlineData("This code expires in 5 minutes.", 5)]
    [InlineData("this code expires in 1 minute", 1)]
    [InlineData("Expires in 90 minutes", 90)]
    [InlineData("Thanks for signing up.", null)]
    public void Code_expiry_is_read_from_the_footer(string footer, int? minutes)
    {
        var template = Auth(AuthBody, new TemplateComponentInfo("FOOTER", null, footer, []), CopyButton);

        Assert.Equal(minutes, template.CodeExpiryMinutes);
    }
}
