using OtpGate.Verification.Channels;

namespace OtpGate.Verification.Tests.Channels;

public sealed class CodeTextTests
{
    [Fact]
    public void The_text_names_the_code_the_service_and_the_expiry_in_whole_minutes_rounded_up()
    {
        Assert.Equal("482913 is your Acme verification code. It expires in 10 minutes.", CodeText.Render("482913", "Acme", TimeSpan.FromSeconds(570)));
        Assert.Equal("482913 is your verification code. It expires in 1 minute.", CodeText.Render("482913", null, TimeSpan.FromSeconds(20)));
    }
}
