using BenchmarkDotNet.Attributes;
using OtpGate.Verification.Phones;
using LibPhone = PhoneNumbers;

namespace OtpGate.Benchmarks;

/// <summary>
/// Phone parsing. Baseline: libphonenumber's own Parse of an E.164 string (no validation, no formatting), so the ratios
/// are what our checks, validation and E.164 formatting add on top of the library.
/// </summary>
[MemoryDiagnoser]
public class PhoneBenchmarks
{
    private static readonly LibPhone.PhoneNumberUtil Util = LibPhone.PhoneNumberUtil.GetInstance();

    [Benchmark(Baseline = true)]
    public LibPhone.PhoneNumber LibPhoneNumberParseOnly() => Util.Parse("+12125550100", null);

    [Benchmark]
    public PhoneParseResult E164() => PhoneNumberParser.Parse("+12125550100");

    [Benchmark]
    public PhoneParseResult Typed() => PhoneNumberParser.Parse("+1 (212) 555-0100");

    [Benchmark]
    public PhoneParseResult BareDigitsUk() => PhoneNumberParser.Parse("00 44 20 7946 0958");

    [Benchmark]
    public PhoneParseResult InvalidForRegion() => PhoneNumberParser.Parse("+1 212 055 0100");
}
