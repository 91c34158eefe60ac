using System.Globalization;

namespace OtpGate.Verification.Fraud;

/// <summary>
/// What one message costs, by its channel's name and the phone's region, in millionths of the deployment's currency
/// (Meta's rates have four decimals, finer than cents): <c>Spend:Prices:&lt;channel&gt;:&lt;REGION&gt;</c>, else
/// <c>Spend:Prices:&lt;channel&gt;:Default</c>, else for WhatsApp the shipped table (Meta's authentication rates, see
/// <c>whatsapp-authentication-rates.txt</c> for its date and source), else nothing: a channel nobody priced is free.
/// </summary>
public sealed class PriceTable
{
    public const string WhatsAppChannel = "whatsapp";
    public const string ShippedCurrency = "USD";
    public const string DefaultKey = "Default";
    private const string ShippedResource = "OtpGate.Fraud/whatsapp-authentication-rates.txt";
    private const string EveryOtherRegion = "*";

    private static readonly Lazy<Dictionary<string, long>> Shipped = new(LoadShipped);
    private readonly Dictionary<string, Dictionary<string, long>> _configured;
    private readonly bool _useShipped;

    public PriceTable(SpendOptions options)
    {
        _configured = options.Prices.ToDictionary(
            channel => channel.Key,
            channel => channel.Value.ToDictionary(price => price.Key.ToUpperInvariant(), price => ToMicros(price.Value), StringComparer.Ordinal),
            StringComparer.OrdinalIgnoreCase);
        _useShipped = options.Currency == ShippedCurrency;
    }

    /// <summary>The price of one message through <paramref name="channel"/> to a phone of <paramref name="region"/>, in millionths.</summary>
    public long MicrosFor(string channel, string region)
    {
        var key = region.ToUpperInvariant();
        if (_configured.TryGetValue(channel, out var prices)
            && (prices.TryGetValue(key, out var price) || prices.TryGetValue(DefaultKey.ToUpperInvariant(), out price)))
        {
            return price;
        }

        return _useShipped && channel.Equals(WhatsAppChannel, StringComparison.OrdinalIgnoreCase)
            ? Shipped.Value.GetValueOrDefault(key, Shipped.Value[EveryOtherRegion])
            : 0;
    }

    /// <summary>The shipped WhatsApp rate per region (and <c>*</c> for every other), in millionths of a dollar.</summary>
    public static IReadOnlyDictionary<string, long> ShippedWhatsAppRates => Shipped.Value;

    public static long ToMicros(decimal amount) => (long)decimal.Round(amount * 1_000_000m, MidpointRounding.AwayFromZero);

    public static decimal FromMicros(long micros) => micros / 1_000_000m;

    private static Dictionary<string, long> LoadShipped()
    {
        using var stream = typeof(PriceTable).Assembly.GetManifestResourceStream(ShippedResource)
            ?? throw new InvalidOperationException($"The shipped price table {ShippedResource} is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var rates = new Dictionary<string, long>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            // market | rate | regions
            var fields = line.Split('|', StringSplitOptions.TrimEntries);
            var rate = ToMicros(decimal.Parse(fields[1], CultureInfo.InvariantCulture));
            foreach (var region in fields[2].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                rates.Add(region, rate);
            }
        }

        return rates;
    }
}
