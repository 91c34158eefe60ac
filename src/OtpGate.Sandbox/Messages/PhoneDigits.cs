namespace OtpGate.Sandbox.Messages;

/// <summary>Phone numbers as 1MSG takes them: digits with the country code, 6 to 15 of them.</summary>
internal static class PhoneDigits
{
    public const int MinDigits = 6;
    public const int MaxDigits = 15;

    /// <summary>Strips <c>+</c>, spaces, brackets, dashes and dots; null if anything else is left or the length is wrong.</summary>
    public static string? Normalize(string? phone)
    {
        var digits = Strip(phone);
        return digits is { Length: >= MinDigits and <= MaxDigits } ? digits : null;
    }

    /// <summary>The digits after stripping the usual separators, or null when another character is present.</summary>
    public static string? Strip(string? phone)
    {
        if (phone is null)
        {
            return null;
        }

        var buffer = new System.Text.StringBuilder(phone.Length);
        foreach (var c in phone)
        {
            if (char.IsAsciiDigit(c))
            {
                buffer.Append(c);
            }
            else if (c is not ('+' or ' ' or '(' or ')' or '-' or '.' or '\t'))
            {
                return null;
            }
        }

        return buffer.ToString();
    }
}
