using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OtpGate.Channels.OneMsg;
using OtpGate.OneMsg.Webhooks;
using OtpGate.Sandbox;
using OtpGate.Verification.Delivery;
using OtpGate.Verification.Maintenance;
using OtpGate.Verification.Outbox;
using OtpGate.Verification.Storage;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Tests.Support;

/// <summary>
/// The real engine on a real SQLite file in a temporary folder, with a fake clock; optionally sending to a real
/// sandbox on loopback. Background services are not started: tests run their passes directly.
/// </summary>
public sealed class Engine : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private readonly Func<Task>? _dropSchema;

    private Engine(ServiceProvider provider, string dataDirectory, TimeProvider clock, CapturingLoggerProvider logs, Func<Task>? dropSchema)
    {
        _provider = provider;
        DataDirectory = dataDirectory;
        Clock = clock;
        Logs = logs;
        _dropSchema = dropSchema;
    }

    /// <summary>"sqlite" or "postgres": the pass this test run belongs to (OTPGATE_TEST_STORAGE).</summary>
    public static string Provider => PostgresTestServer.IsSelected ? "postgres" : "sqlite";

    public string DataDirectory { get; }

    /// <summary>The fake clock (for engines started without a real one).</summary>
    public FakeTimeProvider Time => (FakeTimeProvider)Clock;

    public TimeProvider Clock { get; }

    public CapturingLoggerProvider Logs { get; }

    public IServiceProvider Services => _provider;

    public VerificationService Verifications => _provider.GetRequiredService<VerificationService>();

    public OutboxDispatcher Dispatcher => _provider.GetRequiredService<OutboxDispatcher>();

    public DeliveryIntake Intake => _provider.GetRequiredService<DeliveryIntake>();

    public DeliveryStatusPoller Poller => _provider.GetRequiredService<DeliveryStatusPoller>();

    public MaintenanceService Maintenance => _provider.GetRequiredService<MaintenanceService>();

    public Database Database => _provider.GetRequiredService<Database>();

    public const string Secret = "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz";

    /// <summary>Who the tests act as, unless a test is about owners.</summary>
    public static readonly VerificationOwner Owner = VerificationOwner.ApiKey("tests");

    public static async Task<Engine> StartAsync(
        Action<VerificationOptions>? configure = null, SandboxServer? sandbox = null, TimeProvider? time = null, Dictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "otpgate-tests", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        var values = new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = dataDirectory,
            ["Security:Secret"] = Secret,
            ["OneMsg:Template:Name"] = "registration_otp",
            ["OneMsg:Template:Namespace"] = "otpgate_sandbox",
            ["OneMsg:Template:Language"] = "en",
        };
        Func<Task>? dropSchema = null;
        if (PostgresTestServer.IsSelected && settings?.ContainsKey("Storage:Provider") != true)
        {
            var (connectionString, drop) = await PostgresTestServer.CreateSchemaAsync();
            values["Storage:Provider"] = "postgres";
            values["Storage:ConnectionString"] = connectionString;
            dropSchema = drop;
        }

        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        time ??= new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        var logs = new CapturingLoggerProvider();
        var collection = new ServiceCollection();
        collection.AddLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        collection.AddSingleton<TimeProvider>(time);
        collection.AddOtpGateVerification(configuration);
        if (configure is not null)
        {
            collection.PostConfigure(configure);
        }

        collection.AddOneMsgClient(o =>
        {
            o.BaseUrl = sandbox?.BaseUrl ?? new Uri("http://127.0.0.1:9");
            o.ChannelId = sandbox?.ChannelId ?? "sandbox";
            o.Token = sandbox?.Token ?? "sandbox-token";
            o.AttemptTimeout = TimeSpan.FromSeconds(2);
            o.MaxRetries = 0;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
        });
        collection.AddOneMsgChannel(configuration);
        services?.Invoke(collection);
        var provider = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        var options = provider.GetRequiredService<IOptions<VerificationOptions>>().Value; // validates
        _ = options;
        await Migrator.MigrateAsync(provider.GetRequiredService<Database>(), time, CancellationToken.None);
        return new Engine(provider, dataDirectory, time, logs, dropSchema);
    }

    public async Task<string> StartVerificationAsync(string phone = "+1 212 555 0100", string? ip = null)
    {
        var result = await Verifications.StartAsync(Engine.Owner, new StartRequest(phone, ClientIp: ip), CancellationToken.None);
        Assert.Null(result.Refusal);
        return result.Verification!.Id;
    }

    /// <summary>Reads the current code the way only a test can: decrypting the stored copy with the engine's own keys.</summary>
    public async Task<string> ReadCodeAsync(string verificationId)
    {
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        var row = await connection.QuerySingleAsync<(string KeyId, byte[] Cipher)>(
            "SELECT code_key_id, code_cipher FROM verifications WHERE id = @verificationId", new { verificationId });
        return _provider.GetRequiredService<OtpGate.Verification.Codes.CodeProtector>().Unprotect(verificationId, row.KeyId, row.Cipher);
    }

    /// <summary>A code that is surely wrong for the verification (its own code plus one), of the right length.</summary>
    public async Task<string> WrongCodeAsync(string verificationId)
    {
        var pending = await ScalarAsync<long>("SELECT COUNT(*) FROM verifications WHERE id = @verificationId AND code_cipher IS NOT NULL", new { verificationId });
        var length = _provider.GetRequiredService<IOptions<VerificationOptions>>().Value.CodeLength;
        if (pending == 0)
        {
            return new string('0', length); // no code to compare with: any well-formed input will do
        }

        var code = await ReadCodeAsync(verificationId);
        return new string([.. code[..^1], (char)('0' + ((code[^1] - '0' + 1) % 10))]);
    }

    /// <summary>Feeds 1MSG statuses to the engine the way the webhook receiver does: translated by the channel, then taken in.</summary>
    public Task<int> IngestAsync(IReadOnlyList<StatusEvent> events, CancellationToken cancellationToken) =>
        Intake.IngestAsync(DeliveryNewsTranslation.From(events), cancellationToken);

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        if (_dropSchema is not null)
        {
            await _dropSchema();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
