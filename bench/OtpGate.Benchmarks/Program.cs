using BenchmarkDotNet.Running;

namespace OtpGate.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/OtpGate.Benchmarks -- --filter '*' --job short</c>.
/// Every class has a baseline; the Ratio column is the figure to read (see bench/README.md).
/// </summary>
internal static class BenchmarkProgram
{
    // A named class rather than top-level statements: the referenced sandbox and server already define a global Program.
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
}
