using OtpGate.Verification.Fraud;

namespace OtpGate.Verification.Tests.Fraud;

/// <summary>Which price a message gets, and the <c>Spend</c> section's rules, each problem a sentence naming its key.</summary>
public sealed class PriceTableTests
{
    private static PriceTable Table(string currency = "USD", Dictionary<string, Dictionary<string, decimal>>? prices = null) =>
        new(new SpendOptions { Currency = currency, Prices = prices ?? [] });

    [Fact]
    public void WhatsApp_is_priced_by_the_shipped_table_per_market_with_every_other_country_at_the_Other_rate()
    {
        var table = Table();

        Assert.Equal(3_400, table.MicrosFor("whatsapp", "US"));
        Assert.Equal(3_400, table.MicrosFor("whatsapp", "CA"));
        Assert.Equal(1_400, table.MicrosFor("whatsapp", "IN"));
        Assert.Equal(17_100, table.MicrosFor("whatsapp", "PT")); // Rest of Western Europe
        Assert.Equal(21_200, table.MicrosFor("whatsapp", "GR")); // Rest of Central & Eastern Europe
        Assert.Equal(7_700, table.MicrosFor("whatsapp", "IS")); // Other
        Assert.Equal(0, table.MicrosFor("sms", "US")); // nobody priced SMS
    }

    [Fact]
    public void A_configured_country_beats_the_channels_default_which_beats_the_shipped_table()
    {
        var table = Table(prices: new(StringComparer.OrdinalIgnoreCase)
        {
            ["whatsapp"] = new() { ["in"] = 0.028m },
            ["sms"] = new() { ["Default"] = 0.05m, ["GB"] = 0.04m },
        });

        Assert.Equal((28_000, 3_400), (table.MicrosFor("whatsapp", "IN"), table.MicrosFor("whatsapp", "US")));
        Assert.Equal((40_000, 50_000), (table.MicrosFor("sms", "GB"), table.MicrosFor("SMS", "BR")));
    }

    [Fact]
    public void Another_currency_uses_no_shipped_dollar_rate()
    {
        var table = Table("EUR", new(StringComparer.OrdinalIgnoreCase) { ["whatsapp"] = new() { ["Default"] = 0.01m, ["DE"] = 0.0456m } });

        Assert.Equal((45_600, 10_000), (table.MicrosFor("whatsapp", "DE"), table.MicrosFor("whatsapp", "US")));
    }

    [Fact]
    public void The_defaults_are_valid_and_each_bad_value_is_named()
    {
        var validator = new SpendOptionsValidator();
        Assert.True(validator.Validate(null, new SpendOptions()).Succeeded);

        var failures = validator.Validate(null, new SpendOptions
        {
            Currency = "eur", DailyCap = -1, WarnAt = 0,
            Prices = new(StringComparer.OrdinalIgnoreCase) { ["sms"] = new() { ["Britain"] = 0.04m } },
        }).Failures!.ToList();

        Assert.Contains(failures, f => f.StartsWith("Spend:Currency must be a three-letter ISO 4217 code", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Spend:DailyCap and Spend:MonthlyCap must be 0", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Spend:WarnAt must be a share", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Spend:Prices:sms:Britain must be a two-letter region", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Spend:Currency is eur, but the shipped WhatsApp rates are in USD; set Spend:Prices:whatsapp:Default", StringComparison.Ordinal));
    }
}
