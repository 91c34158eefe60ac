using OtpGate.Verification.Phones;
using LibPhone = PhoneNumbers;

namespace OtpGate.Server.SignUpDemo;

/// <summary>
/// The sign-up form's phone field: a number without <c>+</c> read in the configured default region, a hint at the
/// country code when a number without <c>+</c> does not parse, and numbers shown as people write them.
/// </summary>
public static class SignUpPhone
{
    private static readonly LibPhone.PhoneNumberUtil Util = LibPhone.PhoneNumberUtil.GetInstance();

    public static bool IsKnownRegion(string region) => Util.GetSupportedRegions().Contains(region.ToUpperInvariant());

    /// <summary>
    /// Parses what was typed. Without a <c>+</c> (or <c>00</c>), a number valid in <paramref name="defaultRegion"/> is
    /// read there; anything else goes to the engine's parser, which reads the first digits as the country code.
    /// </summary>
    public static PhoneParseResult Parse(string? typed, string? defaultRegion)
    {
        if (!IsWithoutCountryCode(typed))
        {
            return PhoneNumberParser.Parse(typed);
        }

        if (defaultRegion is { Length: > 0 } && ReadIn(typed!, defaultRegion.ToUpperInvariant()) is { } national)
        {
            return PhoneNumberParser.Parse(national);
        }

        var parsed = PhoneNumberParser.Parse(typed);
        if (parsed.IsValid || parsed.Error is PhoneParseError.Empty or PhoneParseError.NotANumber)
        {
            return parsed;
        }

        // "2125550100" is read as +212 (Morocco) and is then too short: say how it was read, and what to type instead.
        var readAs = CountryCodeReadFrom(typed!) is { } code ? $" (here +{code})" : "";
        return PhoneParseResult.Invalid(parsed.Error.Value,
            $"{parsed.Message} A number without + is read as starting with its country code{readAs}: type + and your country code first, e.g. +1 212 555 0100.");
    }

    /// <summary>The number as people write it: <c>+1 212 555 0100</c>; the plain <c>+</c> and digits when it cannot be formatted.</summary>
    public static string Display(string digits)
    {
        try
        {
            // Spaces between the groups, as the sandbox's inbox writes them (libphonenumber puts dashes in some countries').
            return Util.Format(Util.Parse("+" + digits, null), LibPhone.PhoneNumberFormat.INTERNATIONAL).Replace('-', ' ');
        }
        catch (LibPhone.NumberParseException)
        {
            return "+" + digits;
        }
    }

    private static bool IsWithoutCountryCode(string? typed) =>
        typed?.Trim() is { Length: > 0 } text && !text.StartsWith('+') && !text.StartsWith("00", StringComparison.Ordinal);

    private static string? ReadIn(string typed, string region)
    {
        try
        {
            var number = Util.Parse(typed, region);
            return Util.IsValidNumberForRegion(number, region) ? Util.Format(number, LibPhone.PhoneNumberFormat.E164) : null;
        }
        catch (LibPhone.NumberParseException)
        {
            return null;
        }
    }

    private static int? CountryCodeReadFrom(string typed)
    {
        try
        {
            return Util.Parse("+" + typed.Trim(), null).CountryCode is var code and > 0 ? code : null;
        }
        catch (LibPhone.NumberParseException)
        {
            return null;
        }
    }
}
