using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using OtpGate.Server.Verifications;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Delivery;
using OtpGate.Verification.Verifications;

namespace OtpGate.Benchmarks;

/// <summary>
/// The API's request and response JSON with the options minimal APIs use (web defaults, reflection-based as the server runs).
/// Baseline: reading the ceiling app's one-field request with the same options, so the ratios are what OtpGate's
/// contracts (strict unknown-member handling, more fields, a full verification in the answer) cost over a bare endpoint.
/// </summary>
[MemoryDiagnoser]
public class JsonBenchmarks
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private static readonly byte[] CeilingBody = Encoding.UTF8.GetBytes("""{"phone":"+12125550100"}""");
    private static readonly byte[] StartBody = Encoding.UTF8.GetBytes("""{"phone":"+1 212 555 0100","purpose":"registration","locale":"en","clientIp":"203.0.113.7"}""");
    private static readonly byte[] CheckBody = Encoding.UTF8.GetBytes("""{"code":"123456"}""");
    private VerificationResponse _response = null!;

    [GlobalSetup]
    public void Setup()
    {
        var at = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
        var snapshot = new VerificationSnapshot(
            "vf_2b1t0bq6kJ3c7yJmQk0rNg", "12125550100", "US", "registration", "en", "whatsapp", null, null, false, VerificationStatus.Pending, null,
            at, at.AddMinutes(10), null, 5, 4, at.AddSeconds(30),
            [new SendSnapshot(1, "start", "whatsapp", SendStatus.Queued.ToWireName(), null, null, null, at, null, null)],
            [new TimelineEntry(at, "created", "pending", null, null), new TimelineEntry(at, "send_queued", SendStatus.Queued.ToWireName(), null, 1)]);
        _response = VerificationResponse.From(snapshot);
    }

    [Benchmark(Baseline = true)]
    public CeilingRequest? DeserializeCeilingRequest() => JsonSerializer.Deserialize<CeilingRequest>(CeilingBody, Web);

    [Benchmark]
    public StartVerificationRequest? DeserializeStart() => JsonSerializer.Deserialize<StartVerificationRequest>(StartBody, Web);

    [Benchmark]
    public CheckVerificationRequest? DeserializeCheck() => JsonSerializer.Deserialize<CheckVerificationRequest>(CheckBody, Web);

    [Benchmark]
    public byte[] SerializeVerificationResponse() => JsonSerializer.SerializeToUtf8Bytes(_response, Web);

    public sealed record CeilingRequest(string? Phone);
}
