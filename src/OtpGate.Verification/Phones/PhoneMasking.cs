namespace OtpGate.Verification.Phones;

/// <summary>The one helper that turns a phone number into something safe to log.</summary>
public static class PhoneMasking
{
    /// <summary>
    /// Keeps the country-code-sized prefix (at most 2 digits) and the last 2 digits, masks the rest:
    /// <c>12125550100</c> becomes <c>12*******00</c>. Non-digits are dropped first.
    /// </summary>
    public static string Mask(string? phone)
    {
        if (string.IsNullOrEmpty(phone))
        {
            return "";
        }

        Span<char> digits = stackalloc char[Math.Min(phone.Length, 32)];
        var length = 0;
        foreach (var c in phone)
        {
            if (char.IsAsciiDigit(c) && length < digits.Length)
            {
                digits[length++] = c;
            }
        }

        if (length <= 4)
        {
            return new string('*', length);
        }

        digits[2..(length - 2)].Fill('*');
        return new string(digits[..length]);
    }
}
