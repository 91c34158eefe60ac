using System.Globalization;
using System.Text;

namespace OtpGate.Verification.Codes;

/// <summary>A code as a user types it: pasted with spaces or dashes, or in another script's digits.</summary>
internal static class TypedCode
{
    private const int MaxInputLength = 32;

    /// <summary>
    /// The code without spaces or dashes and with any script's digits (full-width, Arabic-Indic, ...) as ASCII; null
    /// unless that leaves exactly <paramref name="length"/> digits. What can never be a code costs no attempt.
    /// </summary>
    public static string? Normalize(string? code, int length)
    {
        if (string.IsNullOrEmpty(code) || code.Length > MaxInputLength)
        {
            return null;
        }

        var digits = new StringBuilder(code.Length);
        foreach (var c in code)
        {
            if (char.IsWhiteSpace(c) || c is '-' or '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2212' or '\u00AD')
            {
                continue;
            }

            var digit = CharUnicodeInfo.GetDecimalDigitValue(c);
            if (digit < 0)
            {
                return null;
            }

            digits.Append((char)('0' + digit));
        }

        return digits.Length == length ? digits.ToString() : null;
    }
}
