using System.Globalization;
using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OtpGate.Channels.OneMsg;
using OtpGate.Verification;
using OtpGate.Verification.Codes;
using OtpGate.Verification.Storage;
using OtpGate.Verification.Verifications;

namespace OtpGate.Benchmarks;

/// <summary>
/// One start and one check against the SQLite store as the product runs it: a real file in a temporary folder, WAL and
/// synchronous=FULL, the real engine (limits, outbox row, events), no 1MSG I/O (the dispatcher is not started).
/// Baseline: the cheapest durable write there is on the same file, one INSERT in its own BEGIN IMMEDIATE transaction;
/// the ratios say how many bare durable commits a start or a check costs.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(256)]
public class StoreBenchmarks
{
    private const int Pool = 256;
    private ServiceProvider _provider = null!;
    private static readonly VerificationOwner Owner = VerificationOwner.ApiKey("bench");

    private VerificationService _verifications = null!;
    private Database _database = null!;
    private string _directory = null!;
    private readonly List<(string Id, string Code)> _pending = [];
    private int _next;
    private long _phone;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "otpgate-bench-" + Guid.NewGuid().ToString("N"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = _directory,
            ["Security:Secret"] = "bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
            ["OneMsg:Template:Name"] = "registration_otp",
            ["OneMsg:Template:Namespace"] = "otpgate_sandbox",
            ["OneMsg:Template:Language"] = "en",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddOtpGateVerification(configuration);
        // A start records its channel; nothing is sent here, so the client points nowhere.
        services.AddOneMsgClient(o =>
        {
            o.BaseUrl = new Uri("http://127.0.0.1:9");
            o.ChannelId = "bench";
            o.Token = "bench-token";
        });
        services.AddOneMsgChannel(configuration);
        _provider = services.BuildServiceProvider();
        _database = _provider.GetRequiredService<Database>();
        _verifications = _provider.GetRequiredService<VerificationService>();
        Migrator.MigrateAsync(_database, TimeProvider.System, CancellationToken.None).GetAwaiter().GetResult();
        using var connection = _database.OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
        connection.Execute("CREATE TABLE IF NOT EXISTS bench_baseline (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, note TEXT NOT NULL)");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _provider.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [IterationSetup(Targets = [nameof(CheckRightCode), nameof(CheckWrongCode)])]
    public void CreatePending()
    {
        _pending.Clear();
        _next = 0;
        var protector = _provider.GetRequiredService<CodeProtector>();
        using var connection = _database.OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
        for (var i = 0; i < Pool; i++)
        {
            var id = StartOne().GetAwaiter().GetResult();
            var row = connection.QuerySingle<(string KeyId, byte[] Cipher)>("SELECT code_key_id, code_cipher FROM verifications WHERE id = @id", new { id });
            _pending.Add((id, protector.Unprotect(id, row.KeyId, row.Cipher)));
        }
    }

    [Benchmark(Baseline = true)]
    public async Task<int> BareDurableInsert()
    {
        await using var scope = await _database.BeginWriteAsync(CancellationToken.None);
        var rows = await scope.Connection.ExecuteAsync("INSERT INTO bench_baseline (at, note) VALUES (@at, @note)",
            new { at = Environment.TickCount64, note = "vf_2b1t0bq6kJ3c7yJmQk0rNg" }, scope.Transaction);
        await scope.CommitAsync(CancellationToken.None);
        return rows;
    }

    [Benchmark]
    public Task<string> Start() => StartOne();

    [Benchmark]
    public async Task<bool> CheckRightCode()
    {
        var (id, code) = _pending[_next++];
        return (await _verifications.CheckAsync(Owner, id, code, CancellationToken.None)).Succeeded;
    }

    [Benchmark]
    public async Task<bool> CheckWrongCode()
    {
        var (id, code) = _pending[_next++];
        var wrong = ((int.Parse(code, CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        return (await _verifications.CheckAsync(Owner, id, wrong, CancellationToken.None)).Succeeded;
    }

    private async Task<string> StartOne()
    {
        var result = await _verifications.StartAsync(Owner, new StartRequest(BenchPhones.Phone(_phone++), ClientIp: BenchPhones.Ip(_phone)), CancellationToken.None);
        return result.Verification?.Id ?? throw new InvalidOperationException($"Start refused: {result.Refusal}");
    }
}
