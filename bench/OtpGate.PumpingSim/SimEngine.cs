using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using OtpGate.Verification;
using OtpGate.Verification.Channels;
using OtpGate.Verification.Codes;
using OtpGate.Verification.Fraud;
using OtpGate.Verification.Storage;
using OtpGate.Verification.Verifications;

namespace OtpGate.PumpingSim;

/// <summary>
/// The real engine (the same <see cref="VerificationService"/> the server's <c>POST /v1/verifications</c> calls, with the
/// fraud guard's defaults) on a fresh SQLite file (the guard counts the same on PostgreSQL: its tests run on both), and a clock the simulation drives. Sends are
/// queued, not dispatched: an accepted start is one message queued, which is what the attacker is after.
/// </summary>
internal sealed class SimEngine : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly string _dataDirectory;

    private SimEngine(ServiceProvider provider, string dataDirectory, FakeTimeProvider time)
    {
        _provider = provider;
        _dataDirectory = dataDirectory;
        Time = time;
    }

    public FakeTimeProvider Time { get; }

    public VerificationService Verifications => _provider.GetRequiredService<VerificationService>();

    public FraudLists Lists => _provider.GetRequiredService<FraudLists>();

    public static async Task<SimEngine> StartAsync(DateTimeOffset start, IReadOnlyDictionary<string, string?> settings)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "otpgate-pumpingsim", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        var values = new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = dataDirectory,
            ["Security:Secret"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        var time = new FakeTimeProvider(start);
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(time);
        services.AddOtpGateVerification(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddSingleton<ICodeChannel, QueuedOnly>();
        var provider = services.BuildServiceProvider();
        await Migrator.MigrateAsync(provider.GetRequiredService<Database>(), time, CancellationToken.None);
        return new SimEngine(provider, dataDirectory, time);
    }

    /// <summary>The code of a verification, as its user reads it from the message: decrypted from storage with the engine's own keys.</summary>
    public async Task<string> ReadCodeAsync(string verificationId)
    {
        await using var connection = await _provider.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT code_key_id, code_cipher FROM verifications WHERE id = @id";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "id";
        parameter.Value = verificationId;
        command.Parameters.Add(parameter);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return _provider.GetRequiredService<CodeProtector>().Unprotect(verificationId, reader.GetString(0), (byte[])reader.GetValue(1));
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>The channel the engine names; never called, since the simulation does not dispatch.</summary>
    private sealed class QueuedOnly : ICodeChannel
    {
        public string Name => "whatsapp";

        public Task<CodeSendOutcome> SendCodeAsync(CodeMessage message, CancellationToken cancellationToken) =>
            Task.FromResult<CodeSendOutcome>(new CodeAccepted("sim"));
    }
}
