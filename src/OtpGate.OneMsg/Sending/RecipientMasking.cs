namespace OtpGate.OneMsg.Sending;

/// <summary>
/// The one helper of this library that turns a recipient (a phone number or a chat id) into something safe to log:
/// the first 2 and the last 2 digits kept, the rest masked (<c>12125550100</c> becomes <c>12*******00</c>). The engine
/// masks its phone numbers by the same rule; this library references nothing of OtpGate's, so it has its own.
/// </summary>
public static class RecipientMasking
{
    /// <summary>Masks every digit but the first 2 and the last 2; non-digits are dropped first, 4 digits or fewer are all masked.</summary>
    public static string Mask(string? recipient)
    {
        if (string.IsNullOrEmpty(recipient))
        {
            return "";
        }

        Span<char> digits = stackalloc char[Math.Min(recipient.Length, 32)];
        var length = 0;
        foreach (var c in recipient)
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
