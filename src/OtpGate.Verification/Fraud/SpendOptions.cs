using Microsoft.Extensions.Options;

namespace OtpGate.Verification.Fraud;

/// <summary>
/// What messages cost and how much may be spent (section <c>Spend</c>): the deployment's one currency, the overall daily
/// and monthly caps (0 = none), the warning threshold, and prices per channel and region that override the shipped
/// WhatsApp table (<c>Spend:Prices:&lt;channel&gt;:&lt;REGION&gt;</c> and <c>Spend:Prices:&lt;channel&gt;:Default</c>).
/// Per-service caps are service settings (<c>Services:&lt;name&gt;:Spend:DailyCap|MonthlyCap</c>).
/// </summary>
public sealed class SpendOptions
{
    public const string SectionName = "Spend";

    /// <summary>The currency every price and cap is in (ISO 4217); the shipped WhatsApp rates are in US dollars.</summary>
    public string Currency { get; set; } = PriceTable.ShippedCurrency;

    /// <summary>
    /// The most all services together may spend in a UTC day; 0 for no cap. On by default: 10 dollars is about 2,900
    /// codes a day to North America, 450 to the United Kingdom, 180 to Germany (the dearest market), and 1,300 to the
    /// markets without a rate of their own, so a small deployment's real sign-ups pass while a pumping attack's bill is
    /// bounded (the README's "Fraud and spend" says how to size it).
    /// </summary>
    public decimal DailyCap { get; set; } = 10m;

    /// <summary>The most all services together may spend in a UTC calendar month; 0 for no cap.</summary>
    public decimal MonthlyCap { get; set; }

    /// <summary>The share of a cap at which one warning is logged (per cap and period), between 0 and 1.</summary>
    public double WarnAt { get; set; } = 0.8;

    /// <summary>Prices per message, by channel name and then ISO region (or <c>Default</c>), in <see cref="Currency"/>.</summary>
    public Dictionary<string, Dictionary<string, decimal>> Prices { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>The <c>Spend</c> section's rules, as sentences naming their keys.</summary>
internal sealed class SpendOptionsValidator : IValidateOptions<SpendOptions>
{
    public ValidateOptionsResult Validate(string? name, SpendOptions o)
    {
        var problems = new List<string>();
        if (o.Currency is not { Length: 3 } || !o.Currency.All(char.IsAsciiLetterUpper))
        {
            problems.Add($"Spend:Currency must be a three-letter ISO 4217 code in capitals, e.g. \"USD\" (it is \"{o.Currency}\").");
        }

        if (o.DailyCap < 0 || o.MonthlyCap < 0)
        {
            problems.Add("Spend:DailyCap and Spend:MonthlyCap must be 0 (no cap) or a positive amount in Spend:Currency.");
        }

        if (o.WarnAt is <= 0 or > 1)
        {
            problems.Add($"Spend:WarnAt must be a share of the cap above 0 and at most 1, e.g. 0.8 for 80 % (it is {o.WarnAt}).");
        }

        foreach (var (channel, prices) in o.Prices)
        {
            foreach (var (region, price) in prices)
            {
                if (price < 0 || !(region.Equals(PriceTable.DefaultKey, StringComparison.OrdinalIgnoreCase) || (region.Length == 2 && region.All(char.IsAsciiLetter))))
                {
                    problems.Add($"Spend:Prices:{channel}:{region} must be a two-letter region (e.g. Spend:Prices:{channel}:GB) or Default, with a price of 0 or more.");
                }
            }
        }

        if (!o.Currency.Equals(PriceTable.ShippedCurrency, StringComparison.Ordinal)
            && !(o.Prices.TryGetValue(PriceTable.WhatsAppChannel, out var whatsapp) && whatsapp.Keys.Any(k => k.Equals(PriceTable.DefaultKey, StringComparison.OrdinalIgnoreCase))))
        {
            problems.Add($"Spend:Currency is {o.Currency}, but the shipped WhatsApp rates are in {PriceTable.ShippedCurrency}; set Spend:Prices:whatsapp:Default (and any country's own price) in {o.Currency}.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
