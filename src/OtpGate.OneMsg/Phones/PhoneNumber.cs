namespace OtpGate.OneMsg.Phones;

/// <summary>
/// A valid phone number in the digits-only international form 1MSG wants
/// (country code and national number, no <c>+</c>, no spaces), with the region it belongs to.
/// Create one with <see cref="PhoneNumberParser.Parse(string?)"/>.
/// </summary>
/// <param name="Digits">Digits only, country code first, for example <c>12125550100</c>.</param>
/// <param name="CountryCode">The country calling code, for example <c>1</c> or <c>55</c>.</param>
/// <param name="RegionCode">The ISO 3166-1 alpha-2 region, for example <c>US</c> or <c>BR</c>;
/// <c>001</c> for non-geographic numbers.</param>
public sealed record PhoneNumber(string Digits, int CountryCode, string RegionCode)
{
    /// <summary>The E.164 form, <c>+</c> followed by <see cref="Digits"/>.</summary>
    public string E164 => "+" + Digits;

    /// <summary>The WhatsApp chat id 1MSG uses for this number (<c>digits@c.us</c>).</summary>
    public string ChatId => Digits + "@c.us";

    /// <summary>The number with all but the last two digits masked, safe for logs.</summary>
    public string Masked => PhoneMasking.Mask(Digits);

    /// <inheritdoc />
    public override string ToString() => Masked;
}
