using OtpGate.Verification.Phones;

namespace OtpGate.Verification.Tests.Phones;

public sealed class PhoneMaskingTests
{
    [Theory]
    [InlineData("12125550100", "12*******00")]
    [InlineData("+1 (212) 555-0100", "12*******00")]
    [InlineData("1234", "****")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Mask_keeps_only_the_prefix_and_the_last_two_digits(string? input, string expected)
    {
        Assert.Equal(expected, PhoneMasking.Mask(input));
    }

    [Fact]
    public void A_phone_number_prints_masked()
    {
        var number = new PhoneNumber("5511999998888", "BR");
        Assert.Equal("55*********88", number.ToString());
        Assert.DoesNotContain("99999", number.ToString());
    }
}
