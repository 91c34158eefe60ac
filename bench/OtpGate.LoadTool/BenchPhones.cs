using System.Globalization;

namespace OtpGate.LoadTool;

/// <summary>Distinct valid numbers and client addresses; the same formula as bench/lua/common.lua and the micro-benchmarks.</summary>
internal static class BenchPhones
{
    private static readonly string[] Areas = ["212", "646", "718", "917"];

    /// <summary>Digits without "+": 1 AAA EEE NNNN, exchange 200..499 (never the sandbox's reserved 555 numbers).</summary>
    public static string Digits(long n) => string.Create(CultureInfo.InvariantCulture,
        $"1{Areas[n / 3_000_000 % Areas.Length]}{200 + (n / 10_000 % 300)}{n % 10_000:D4}");

    public static string Ip(long n) => string.Create(CultureInfo.InvariantCulture, $"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}");
}
