using System.Globalization;

namespace OtpGate.Benchmarks;

/// <summary>
/// Distinct valid phone numbers and client addresses, so per-phone and per-IP limits never refuse a benchmark start.
/// The same formula is in bench/lua/common.lua and bench/OtpGate.LoadTool.
/// </summary>
internal static class BenchPhones
{
    private static readonly string[] Areas = ["212", "646", "718", "917"];

    /// <summary>+1 AAA EEE NNNN with exchange 200..499 (never the sandbox's reserved 555 numbers).</summary>
    public static string Phone(long n) => string.Create(CultureInfo.InvariantCulture,
        $"+1{Areas[n / 3_000_000 % Areas.Length]}{200 + (n / 10_000 % 300)}{n % 10_000:D4}");

    public static string Ip(long n) => string.Create(CultureInfo.InvariantCulture, $"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}");
}
