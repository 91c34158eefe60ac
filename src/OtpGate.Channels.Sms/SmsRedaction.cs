using System.Text.RegularExpressions;

namespace OtpGate.Channels.Sms;

/// <summary>
/// Keeps the number, the code and the secrets out of what is stored and logged: Twilio's messages quote the number
/// ("The 'To' number +1212… is not a valid phone number"), and nothing here may quote the code or the token.
/// </summary>
internal sealed partial class SmsRedaction(params string?[] secrets)
{
    public string? Apply(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        foreach (var secret in secrets)
        {
            if (secret is { Length: >= 4 })
            {
                text = text.Replace(secret, "***", StringComparison.Ordinal);
            }
        }

        // Any run of 7 or more digits (with the separators numbers are written with) is masked as a number.
        return NumberLike().Replace(text, m => Mask(m.Value));
    }

    private static string Mask(string number)
    {
        var digits = new string([.. number.Where(char.IsAsciiDigit)]);
        if (digits.Length < 7)
        {
            return number;
        }

        return (number.StartsWith('+') ? "+" : "") + digits[..2] + new string('*', digits.Length - 4) + digits[^2..];
    }

    [GeneratedRegex(@"\+?\d(?:[\d \-().]{5,}\d)")]
    private static partial Regex NumberLike();
}
