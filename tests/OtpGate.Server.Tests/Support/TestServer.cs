using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OtpGate.Server.Hosting;
using OtpGate.Server.Webhooks;
using OtpGate.Verification.Tests.Support;

namespace OtpGate.Server.Tests.Support;

/// <summary>
/// The real server (Program) on a real Kestrel at 127.0.0.1 on a free port, with the in-process sandbox (fast deliveries),
/// SQLite in a temporary folder, and an API key; no mocks. Settings passed in override the defaults.
/// </summary>
public abstract class ServerFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string ApiKey = "test-api-key-0123456789abcdef";
    public const string Secret = "test-server-secret-0123456789-abcdefghijklmnop";

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private readonly bool _ownsDataDirectory;
    private int _phone = 110;
    private Func<Task>? _dropSchema;

    protected ServerFactory(Dictionary<string, string?>? settings, Action<IServiceCollection>? services = null, string? dataDirectory = null, bool withApiKey = true)
    {
        _ownsDataDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "otpgate-server-tests", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        _settings = new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = DataDirectory,
            ["Security:Secret"] = Secret,
            ["Sandbox:SentAfter"] = "00:00:00.050",
            ["Sandbox:DeliveredAfter"] = "00:00:00.100",
            ["Sandbox:ReadAfter"] = "00:00:00.150",
            ["Verification:MaxStartsPerIpPer10Minutes"] = "1000",
            // Every test of a class shares the server: sequential numbers of one prefix, mostly never approved, are a
            // pumping run to the fraud guard. Its rules are the engine's tests; the operator's lists apply here still.
            ["Fraud:Enabled"] = "false",
            ["Verification:DeniedCountries:0"] = "GB",
            ["Api:RateLimit:PerIpPerMinute"] = "10000",
            ["Api:RateLimit:PerKeyPerMinute"] = "10000",
            ["Logging:LogLevel:Default"] = "Information",
        };
        if (withApiKey)
        {
            _settings["Api:Keys:tests"] = ApiKey;
        }

        foreach (var (key, value) in settings ?? [])
        {
            // A null value leaves the key out, default included, as a configuration without it would.
            if (value is null)
            {
                _settings.Remove(key);
            }
            else
            {
                _settings[key] = value;
            }
        }

        _services = services;
        UseKestrel(0);
    }

    public string DataDirectory { get; }

    public CapturedLogs Logs { get; } = new();

    public StringWriter Banner { get; } = new();

    public Uri Root => ClientOptions.BaseAddress;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        // The server validates its registrations and scopes only in Development; the tests keep both on.
        builder.UseDefaultServiceProvider(options => options.ValidateOnBuild = options.ValidateScopes = true);
        // As host settings, so that Program sees them as it composes the server (the sandbox or a real channel), as it
        // sees appsettings, environment variables and the command line.
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureServices(services =>
        {
            services.Replace(ServiceDescriptor.Singleton(new BannerWriter(Banner)));
            _services?.Invoke(services);
        });
    }

    public virtual async ValueTask InitializeAsync()
    {
        if (PostgresTestServer.IsSelected && !_settings.ContainsKey("Storage:Provider"))
        {
            // The PostgreSQL pass (OTPGATE_TEST_STORAGE=postgres): a fresh schema for this server.
            var (connectionString, drop) = await PostgresTestServer.CreateSchemaAsync();
            _settings["Storage:Provider"] = "postgres";
            _settings["Storage:ConnectionString"] = connectionString;
            _dropSchema = drop;
        }

        StartServer();
        // The embedded default registers its webhook with the sandbox once it listens; tests start after that.
        await Services.GetRequiredService<WebhookRegistration>().Completion.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        if (_dropSchema is not null)
        {
            await _dropSchema();
        }

        if (!_ownsDataDirectory)
        {
            return;
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A new valid US number for each call (the sandbox delivers and reads it).</summary>
    public string NextPhone() => $"+1 212 555 0{Interlocked.Increment(ref _phone):D3}";

    public HttpClient Api(string? key = ApiKey)
    {
        var client = CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public string WebhookSecret => Services.GetRequiredService<WebhookSecret>().Value;

    public async Task<JsonObject> StartAsync(string phone, HttpClient? client = null)
    {
        using var own = client is null ? Api() : null;
        var response = await (client ?? own!).PostAsJsonAsync("/v1/verifications", new { phone }, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return (await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!;
    }

    public async Task<JsonObject> GetAsync(string id)
    {
        using var client = Api();
        return (await client.GetFromJsonAsync<JsonObject>($"/v1/verifications/{id}", TestContext.Current.CancellationToken))!;
    }

    /// <summary>Waits until the verification satisfies <paramref name="condition"/>; returns it.</summary>
    public async Task<JsonObject> WaitForAsync(string id, Func<JsonObject, bool> condition, int seconds = 15)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        JsonObject verification;
        do
        {
            verification = await GetAsync(id);
            if (condition(verification))
            {
                return verification;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds));

        Assert.Fail($"The verification never got there: {verification.ToJsonString()}");
        return verification;
    }

    /// <summary>The latest code the sandbox's phone received, read from its JSON like a script would.</summary>
    public async Task<string> ReadCodeAsync(string phone, int messages = 1) => (await ReadCodesAsync(phone, messages))[^1];

    /// <summary>Waits until every send queued for the phone has been handed to the sandbox (no job left queued or claimed).</summary>
    public async Task WaitForSendsAsync(string phone)
    {
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        var database = Services.GetRequiredService<OtpGate.Verification.Storage.Database>();
        for (var i = 0; i < 300; i++)
        {
            await using var connection = await database.OpenAsync(TestContext.Current.CancellationToken);
            var waiting = await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, """
                SELECT COUNT(*) FROM sends s JOIN verifications v ON v.id = s.verification_id
                WHERE v.phone = @digits AND s.job_state IN ('queued', 'claimed')
                """, new { digits });
            if (waiting == 0)
            {
                return;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        throw new InvalidOperationException($"Sends to {phone} were still queued after 15 s.");
    }

    /// <summary>Every code the sandbox's phone received, oldest first, once at least <paramref name="messages"/> arrived.</summary>
    public async Task<IReadOnlyList<string>> ReadCodesAsync(string phone, int messages)
    {
        using var client = CreateClient();
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        for (var i = 0; i < 200; i++)
        {
            var list = await client.GetFromJsonAsync<JsonArray>($"/sandbox/_sandbox/messages?phone={digits}", TestContext.Current.CancellationToken);
            if (list is { Count: > 0 } && list.Count >= messages)
            {
                return [.. list.Select(message => message!["code"]!.GetValue<string>())];
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        throw new InvalidOperationException($"No message reached {phone} in the sandbox.");
    }

    public static async Task<JsonObject> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!;
    }

    public static string Status(JsonObject verification) => verification["status"]!.GetValue<string>();

    public static string Delivery(JsonObject verification) => verification["deliveryStatus"]!.GetValue<string>();

    public static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;
}

/// <summary>The shared server of a test class: the defaults above.</summary>
public sealed class ServerFixture() : ServerFactory(null);

/// <summary>A server with its own settings, for tests that need them.</summary>
public sealed class CustomServer(Dictionary<string, string?>? settings, Action<IServiceCollection>? services = null, string? dataDirectory = null, bool withApiKey = true)
    : ServerFactory(settings, services, dataDirectory, withApiKey);

/// <summary>A server with two more API keys, <c>t</c> and <c>u</c>, for tests of what one key may see of another's.</summary>
public sealed class TwoKeysServer() : ServerFactory(new Dictionary<string, string?> { ["Api:Keys:t"] = KeyT, ["Api:Keys:u"] = KeyU })
{
    public const string KeyT = "key-t-0123456789abcdefghij";
    public const string KeyU = "key-u-0123456789abcdefghij";
}
