using LibPhone = PhoneNumbers;

namespace OtpGate.Verification.Fraud;

/// <summary>
/// The prefixes the guard counts a number under: its country calling code, then that code and 1 to 4 more digits
/// (<c>1</c>, <c>12</c>, <c>121</c>, <c>1212</c>, <c>12125</c> for +1 212 555 0100). The longest is about a
/// neighbourhood of a numbering plan (a US area code and an exchange's first digit), the shortest the whole country.
/// </summary>
public static class PhonePrefixes
{
    /// <summary>Digits after the country calling code in the longest prefix counted.</summary>
    public const int MaxExtraDigits = 4;

    private static readonly HashSet<string> CallingCodes = [.. LibPhone.PhoneNumberUtil.GetInstance().GetSupportedCallingCodes().Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>The country calling code a number's digits start with (1 to 3 digits), or its first digit when none is known.</summary>
    public static string CallingCode(string digits)
    {
        for (var length = 1; length <= 3 && length < digits.Length; length++)
        {
            if (CallingCodes.Contains(digits[..length]))
            {
                return digits[..length];
            }
        }

        return digits[..1];
    }

    /// <summary>The counted prefixes of a number, shortest (the country) first, never the whole number.</summary>
    public static IReadOnlyList<string> Of(string digits)
    {
        var code = CallingCode(digits).Length;
        var longest = Math.Min(code + MaxExtraDigits, digits.Length - 1);
        var prefixes = new List<string>(MaxExtraDigits + 1);
        for (var length = code; length <= longest; length++)
        {
            prefixes.Add(digits[..length]);
        }

        return prefixes;
    }
}
