using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using OtpGate.Verification.Codes;

namespace OtpGate.Benchmarks;

/// <summary>
/// Code generation, MAC and encryption. Baseline: one bare HMAC-SHA256 over the same bytes, the least a check can do;
/// the ratios say how many "HMACs" a start (generate + protect) and a check (matches) cost.
/// </summary>
[MemoryDiagnoser]
public class CodeBenchmarks
{
    private const string Id = "vf_2b1t0bq6kJ3c7yJmQk0rNg";
    private readonly CodeProtector _protector = new(new SecretRing("bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz"));
    private readonly byte[] _macKey = RandomNumberGenerator.GetBytes(32);
    private ProtectedCode _protected = null!;

    [GlobalSetup]
    public void Setup() => _protected = _protector.Protect(Id, "123456");

    [Benchmark(Baseline = true)]
    public byte[] BareHmacSha256() => HMACSHA256.HashData(_macKey, Encoding.UTF8.GetBytes(Id + "\n123456"));

    [Benchmark]
    public string Generate() => CodeProtector.Generate(6);

    [Benchmark]
    public ProtectedCode GenerateAndProtect() => _protector.Protect(Id, CodeProtector.Generate(6));

    [Benchmark]
    public bool MatchesWrongCode() => _protector.Matches(Id, "654321", _protected.KeyId, _protected.Mac);

    [Benchmark]
    public string Unprotect() => _protector.Unprotect(Id, _protected.KeyId, _protected.Cipher);
}
