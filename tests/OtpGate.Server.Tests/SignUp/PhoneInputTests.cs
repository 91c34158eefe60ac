using OtpGate.Server.Tests.Support;

namespace OtpGate.Server.Tests.SignUp;

/// <summary>A number typed without +: read with the configured default region, or refused with a hint at the country code.</summary>
public sealed class PhoneInputTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Without_a_default_region_a_number_without_plus_is_refused_with_a_hint_at_the_country_code()
    {
        using var visitor = new SignUpVisitor(server);

        using var answer = await visitor.SignUpAsync("Ada", "2125550100");

        Assert.Equal("/", SignUpVisitor.Location(answer));
        var page = await visitor.FollowAsync(answer);
        Assert.Contains("The phone number is too short.", page, StringComparison.Ordinal);
        Assert.Contains("A number without &#x2B; is read as starting with its country code (here &#x2B;212): type &#x2B; and your country code first", page, StringComparison.Ordinal);
        Assert.Contains("value=\"2125550100\"", page, StringComparison.Ordinal); // what was typed, to edit
    }

    [Fact]
    public async Task With_a_default_region_a_national_number_is_read_there_and_shown_as_people_write_it()
    {
        await using var regional = new CustomServer(new() { ["SignUp:DefaultRegion"] = "us" });
        await regional.InitializeAsync();
        using var visitor = new SignUpVisitor(regional);

        using var answer = await visitor.SignUpAsync("Ada", "(212) 555-0177");

        Assert.Equal("/Verify", SignUpVisitor.Location(answer));
        await regional.ReadCodeAsync("+12125550177");
        var page = await (await visitor.GetAsync("/Verify")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains(">&#x2B;1 212 555 0177</strong>", page, StringComparison.Ordinal); // "+", as Razor writes it
        var form = await (await visitor.GetAsync("/")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("Without a +, the number is read as a number of region US.", form, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_default_region_a_number_with_its_country_code_still_goes_anywhere()
    {
        await using var regional = new CustomServer(new() { ["SignUp:DefaultRegion"] = "US" });
        await regional.InitializeAsync();
        using var visitor = new SignUpVisitor(regional);

        using var answer = await visitor.SignUpAsync("Ada", "+55 11 96123 4567");

        Assert.Equal("/Verify", SignUpVisitor.Location(answer));
        await regional.ReadCodeAsync("+5511961234567");
    }
}
