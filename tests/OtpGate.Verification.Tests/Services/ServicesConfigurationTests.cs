using Microsoft.Extensions.Configuration;
using OtpGate.Verification.Services;

namespace OtpGate.Verification.Tests.Services;

/// <summary><c>Services:&lt;name&gt;</c> read over <c>Verification</c>: the default service first, each key left out inherited.</summary>
public sealed class ServicesConfigurationTests
{
    private static (IReadOnlyList<ServiceDeclaration> Services, IReadOnlyList<string> Problems) Read(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var global = new VerificationOptions();
        configuration.GetSection(VerificationOptions.SectionName).Bind(global);
        return ServicesConfiguration.Read(configuration, global);
    }

    [Fact]
    public void Without_a_services_section_the_default_service_is_the_verification_section()
    {
        var (services, problems) = Read(new() { ["Verification:CodeLength"] = "8", ["Verification:AllowedCountries:0"] = "BR" });

        Assert.Empty(problems);
        var only = Assert.Single(services);
        Assert.Equal(("default", "Default", 8), (only.Id, only.FriendlyName, only.Settings.CodeLength));
        Assert.Equal(["BR"], only.Settings.AllowedCountries);
    }

    [Fact]
    public void A_declared_service_inherits_what_it_leaves_out_and_replaces_the_lists_it_names()
    {
        var (services, problems) = Read(new()
        {
            ["Verification:CodeLength"] = "8",
            ["Verification:MaxAttempts"] = "4",
            ["Verification:AllowedCountries:0"] = "BR",
            ["Verification:AllowedCountries:1"] = "PT",
            ["Services:shop:FriendlyName"] = "Shop",
            ["Services:shop:MaxAttempts"] = "3",
            ["Services:shop:AllowedCountries:0"] = "DE",
            ["Services:shop:Templates:pt_BR"] = "shop_code_pt",
        });

        Assert.Empty(problems);
        var shop = services[1];
        Assert.Equal(("shop", "Shop", 8, 3), (shop.Id, shop.FriendlyName, shop.Settings.CodeLength, shop.Settings.MaxAttempts));
        Assert.Equal(["DE"], shop.Settings.AllowedCountries);
        Assert.Equal("shop_code_pt", shop.Settings.Templates["pt_BR"]);
        Assert.Equal(["BR", "PT"], services[0].Settings.AllowedCountries);
    }

    [Fact]
    public void A_bad_name_or_a_setting_out_of_bounds_is_a_sentence_naming_the_service()
    {
        var (_, problems) = Read(new() { ["Services:Shop EU:CodeLength"] = "6", ["Services:bank:CodeLength"] = "3" });

        Assert.Equal(2, problems.Count);
        Assert.StartsWith("Services:Shop EU is not a valid service name", problems[0], StringComparison.Ordinal);
        Assert.StartsWith("Services:bank:CodeLength is 3; it must be between 4 and 10 digits", problems[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_problem_of_the_Verification_section_is_left_to_its_own_check_and_one_of_Services_default_names_that_key()
    {
        var (_, fromVerification) = Read(new() { ["Verification:CodeLength"] = "3" });
        var (_, fromDefault) = Read(new() { ["Services:default:CodeLength"] = "3" });

        Assert.Empty(fromVerification);
        Assert.StartsWith("Services:default:CodeLength is 3;", Assert.Single(fromDefault), StringComparison.Ordinal);
    }

    [Fact]
    public void The_SMS_settings_bind_per_service_over_the_Verification_ones()
    {
        var (services, problems) = Read(new()
        {
            ["Verification:Sms:MaxPerPhonePerDay"] = "2",
            ["Verification:Sms:Texts:en"] = "{code} is your code",
            ["Services:shop:Sms:Fallback"] = "false",
            ["Services:shop:Sms:DeliveryDeadline"] = "00:00:30",
            ["Services:shop:Sms:Texts:pt"] = "{code} é o seu código",
            ["Services:shop:Sms:WebOtpDomain"] = "shop.example",
        });

        Assert.Empty(problems);
        var (standard, shop) = (services[0].Settings.Sms, services[1].Settings.Sms);
        Assert.Equal((true, TimeSpan.FromSeconds(15), 2, null), (standard.Fallback, standard.DeliveryDeadline, standard.MaxPerPhonePerDay, standard.WebOtpDomain));
        Assert.Equal((false, TimeSpan.FromSeconds(30), 2, "shop.example"), (shop.Fallback, shop.DeliveryDeadline, shop.MaxPerPhonePerDay, shop.WebOtpDomain));
        // A service's text for a locale is its own; the others are inherited.
        Assert.Equal(["en", "pt"], shop.Texts.Keys.Order());
    }

    [Fact]
    public void SMS_settings_out_of_bounds_are_sentences_naming_their_keys()
    {
        var (_, problems) = Read(new()
        {
            ["Services:shop:Sms:DeliveryDeadline"] = "00:00:01",
            ["Services:shop:Sms:MaxPerPhonePerDay"] = "0",
            ["Services:shop:Sms:Texts:pt"] = "seu codigo",
            ["Services:shop:Sms:WebOtpDomain"] = "https://shop.example/login",
        });

        Assert.Equal(4, problems.Count);
        Assert.StartsWith("Services:shop:Sms:DeliveryDeadline is 00:00:01; it must be between 00:00:05 and 00:10:00", problems[0], StringComparison.Ordinal);
        Assert.StartsWith("Services:shop:Sms:MaxPerPhonePerDay is 0; it must be between 1 and 100", problems[1], StringComparison.Ordinal);
        Assert.StartsWith("Services:shop:Sms:Texts:pt must contain {code}", problems[2], StringComparison.Ordinal);
        Assert.StartsWith("Services:shop:Sms:WebOtpDomain is \"https://shop.example/login\"; it must be a host name", problems[3], StringComparison.Ordinal);
    }
}
