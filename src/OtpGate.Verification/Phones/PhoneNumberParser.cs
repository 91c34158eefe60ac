using LibPhone = PhoneNumbers;

namespace OtpGate.Verification.Phones;

/// <summary>
/// Parses what a person types (<c>+1 (212) 555-0100</c>, <c>12125550100</c>, <c>00 44 20 7946 0958</c>)
/// into a valid <see cref="PhoneNumber"/>, or says precisely why it is not one. Never throws for bad input.
/// </summary>
public static class PhoneNumberParser
{
    private static readonly LibPhone.PhoneNumberUtil Util = LibPhone.PhoneNumberUtil.GetInstance();

    // Longer inputs are refused before they reach libphonenumber: nobody types 64 characters of phone number.
    private const int MaxInputLength = 64;

    /// <summary>Parses an international number. A leading <c>+</c>, <c>00</c>, or no prefix at all (digits starting with the country code) are accepted.</summary>
    public static PhoneParseResult Parse(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return PhoneParseResult.Invalid(PhoneParseError.Empty, "The phone number is empty. Enter it in international format, e.g. +1 212 555 0100.");
        }

        var text = input.Trim();
        if (text.Length > MaxInputLength || !text.Any(char.IsAsciiDigit) || text.Any(IsForeignCharacter))
        {
            return PhoneParseResult.Invalid(PhoneParseError.NotANumber, "This is not a phone number. Enter digits only, in international format, e.g. +1 212 555 0100.");
        }

        LibPhone.PhoneNumber parsed;
        try
        {
            parsed = Util.Parse(ToInternational(text), null);
        }
        catch (LibPhone.NumberParseException e)
        {
            return FromParseError(e.ErrorType);
        }

        var possibility = Util.IsPossibleNumberWithReason(parsed);
        switch (possibility)
        {
            case LibPhone.PhoneNumberUtil.ValidationResult.INVALID_COUNTRY_CODE:
                return UnknownCountryCode();
            case LibPhone.PhoneNumberUtil.ValidationResult.TOO_SHORT:
                return TooShort();
            case LibPhone.PhoneNumberUtil.ValidationResult.TOO_LONG:
                return TooLong();
        }

        var region = Util.GetRegionCodeForNumber(parsed);
        if (possibility != LibPhone.PhoneNumberUtil.ValidationResult.IS_POSSIBLE || !Util.IsValidNumber(parsed) || region is null)
        {
            var where = region ?? Util.GetRegionCodeForCountryCode(parsed.CountryCode);
            return PhoneParseResult.Invalid(PhoneParseError.InvalidForRegion,
                $"This is not a valid phone number for {DescribeRegion(where)} (+{parsed.CountryCode}). Check the digits after the country code.");
        }

        var digits = Util.Format(parsed, LibPhone.PhoneNumberFormat.E164)[1..];
        return PhoneParseResult.Valid(new PhoneNumber(digits, region));
    }

    /// <summary>Parses and returns the number, or throws <see cref="ArgumentException"/> with the reason. For configuration and tests.</summary>
    public static PhoneNumber ParseOrThrow(string? input, string? paramName = null)
    {
        var result = Parse(input);
        return result.IsValid ? result.Number : throw new ArgumentException(result.Message, paramName);
    }

    // "00" is the ITU international prefix; bare digits are read as country code first, which is what 1MSG expects.
    private static string ToInternational(string text)
    {
        if (text.StartsWith('+'))
        {
            return text;
        }

        var trimmed = text.TrimStart();
        if (trimmed.StartsWith("00", StringComparison.Ordinal))
        {
            return "+" + trimmed[2..];
        }

        return "+" + trimmed;
    }

    // Separators people type; anything else (letters, other symbols) means it is not a number.
    private static bool IsForeignCharacter(char c) =>
        !char.IsAsciiDigit(c) && c is not (' ' or '+' or '-' or '(' or ')' or '.' or '/' or '\u00a0');

    private static PhoneParseResult FromParseError(LibPhone.ErrorType error) => error switch
    {
        LibPhone.ErrorType.INVALID_COUNTRY_CODE => UnknownCountryCode(),
        LibPhone.ErrorType.TOO_SHORT_AFTER_IDD or LibPhone.ErrorType.TOO_SHORT_NSN => TooShort(),
        LibPhone.ErrorType.TOO_LONG => TooLong(),
        _ => PhoneParseResult.Invalid(PhoneParseError.NotANumber, "This is not a phone number. Enter it in international format, e.g. +1 212 555 0100."),
    };

    private static PhoneParseResult UnknownCountryCode() => PhoneParseResult.Invalid(PhoneParseError.UnknownCountryCode,
        "The number does not start with a known country code. Enter it in international format with the country code, e.g. +44 20 7946 0958.");

    private static PhoneParseResult TooShort() => PhoneParseResult.Invalid(PhoneParseError.TooShort,
        "The phone number is too short. Check that the whole number, with its country code, is there.");

    private static PhoneParseResult TooLong() => PhoneParseResult.Invalid(PhoneParseError.TooLong,
        "The phone number is too long. Check for extra digits.");

    private static string DescribeRegion(string? region) =>
        region is null or "ZZ" or "001" ? "its country code" : region;
}
