namespace OtpGate.Verification.Phones;

/// <summary>
/// A valid phone number in digits-only international form (country code and national number, no <c>+</c>, no
/// spaces), with the region it belongs to. A typed number becomes one through <see cref="PhoneNumberParser.Parse(string?)"/>,
/// once per request; one read back from storage (stored parsed) is made with the constructor, without parsing again.
/// </summary>
/// <param name="Digits">Digits only, country code first, for example <c>12125550100</c>.</param>
/// <param name="RegionCode">The ISO 3166-1 alpha-2 region, for example <c>US</c> or <c>BR</c>; <c>001</c> for non-geographic numbers.</param>
public sealed record PhoneNumber(string Digits, string RegionCode)
{
    /// <summary>The E.164 form, <c>+</c> followed by <see cref="Digits"/>.</summary>
    public string E164 => "+" + Digits;

    /// <summary>The number with all but the first two and the last two digits masked, safe for logs.</summary>
    public string Masked => PhoneMasking.Mask(Digits);

    public override string ToString() => Masked;
}
