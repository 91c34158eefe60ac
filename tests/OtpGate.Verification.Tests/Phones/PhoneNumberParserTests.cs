using OtpGate.Verification.Phones;

namespace OtpGate.Verification.Tests.Phones;

public sealed class PhoneNumberParserTests
{
    [Theory]
    [InlineData("+1 (212) 555-0100", "12125550100", "US")]
    [InlineData("12125550100", "12125550100", "US")]
    [InlineData("+55 11 99999-8888", "5511999998888", "BR")]
    [InlineData("00 44 20 7946 0958", "442079460958", "GB")]
    public void International_numbers_become_digits_with_their_region(string input, string digits, string region)
    {
        var result = PhoneNumberParser.Parse(input);

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(new PhoneNumber(digits, region), result.Number);
        Assert.Equal("+" + digits, result.Number.E164);
    }

    [Theory]
    [InlineData(null, PhoneParseError.Empty)]
    [InlineData("", PhoneParseError.Empty)]
    [InlineData("   ", PhoneParseError.Empty)]
    [InlineData("call me", PhoneParseError.NotANumber)]
    [InlineData("+1 212 555 O100", PhoneParseError.NotANumber)]
    [InlineData("+999 1234 5678", PhoneParseError.UnknownCountryCode)]
    [InlineData("+1 212", PhoneParseError.TooShort)]
    [InlineData("+1 212 555 0100 1234 5678", PhoneParseError.TooLong)]
    [InlineData("+1 012 555 0100", PhoneParseError.InvalidForRegion)]
    public void Invalid_numbers_say_why(string? input, PhoneParseError expected)
    {
        var result = PhoneNumberParser.Parse(input);

        Assert.False(result.IsValid);
        Assert.Equal(expected, result.Error);
        Assert.EndsWith(".", result.Message);
    }

    [Fact]
    public void Parse_or_throw_gives_the_reason_as_an_argument_exception()
    {
        var error = Assert.Throws<ArgumentException>(() => PhoneNumberParser.ParseOrThrow("+1 212", "phone"));

        Assert.Equal("phone", error.ParamName);
        Assert.Contains("too short", error.Message);
    }

    [Fact]
    public void Random_garbage_never_throws()
    {
        var random = new Random(212_555_0100);
        const string alphabet = "0123456789+-() ./\u00a0abcxyz#*\u0661\u0662\uFF11\t\n";
        for (var i = 0; i < 5000; i++)
        {
            var chars = new char[random.Next(0, 80)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = i % 4 == 0 ? (char)random.Next(0, 0xFFFF) : alphabet[random.Next(alphabet.Length)];
            }

            var result = PhoneNumberParser.Parse(new string(chars));

            Assert.True(result.IsValid || result.Message is { Length: > 0 });
        }
    }
}
