using PhoneNumbers;
using OtpGate.Verification.Fraud;
using OtpGate.Verification.Phones;

namespace OtpGate.PumpingSim;

/// <summary>Valid phone numbers for the simulation: random ones of a country (real users), and sequential ones after a prefix (an attacker's sweep).</summary>
internal static class Numbers
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>A random valid mobile number of <paramref name="region"/>: its example number's first two digits, the rest drawn at random.</summary>
    public static string Random(Random random, string region)
    {
        var example = Util.GetExampleNumberForType(region, PhoneNumberType.MOBILE);
        var national = Util.GetNationalSignificantNumber(example);
        for (var tries = 0; tries < 1000; tries++)
        {
            var digits = national[..2] + string.Concat(Enumerable.Range(0, national.Length - 2).Select(_ => (char)('0' + random.Next(10))));
            var candidate = $"+{example.CountryCode}{digits}";
            if (PhoneNumberParser.Parse(candidate).IsValid)
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"No valid random number found for {region}.");
    }

    /// <summary>
    /// An attacker's sequence in <paramref name="region"/>: its example mobile number with the last four digits counting
    /// up from 0000, so all of it lies in one longest prefix (cc + 4 digits) and every one is valid.
    /// </summary>
    public static (string Prefix, Func<int, string> Nth) Sequence(string region)
    {
        var example = Util.GetExampleNumberForType(region, PhoneNumberType.MOBILE);
        var national = Util.GetNationalSignificantNumber(example);
        var head = $"{example.CountryCode}{national[..^4]}";
        return (PhonePrefixes.Of(head + "0000")[^1], n => $"+{head}{n % 10_000:D4}");
    }

    /// <summary>The longest prefix the guard counts a number under (digits).</summary>
    public static string LongestPrefix(string phone) => PhonePrefixes.Of(PhoneNumberParser.Parse(phone).Number!.Digits)[^1];
}
