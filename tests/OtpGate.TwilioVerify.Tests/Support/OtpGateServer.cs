using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OtpGate.Verification.Tests.Support;

namespace OtpGate.TwilioVerify.Tests.Support;

/// <summary>
/// The real server (Program) on a real Kestrel at 127.0.0.1 on a free port, with the embedded sandbox as 1MSG (its phone
/// inbox is where the codes are read), SQLite in a temporary folder (or a fresh PostgreSQL schema in the PostgreSQL pass),
/// and Twilio-shaped credentials declared in configuration: an admin account, and an account and an API key of the
/// configured service <c>shop</c>.
/// </summary>
public sealed partial class OtpGateServer : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly Dictionary<string, string?> _settings;
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "otpgate-twilio-tests", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
    private int _phone = 200;
    private Func<Task>? _dropSchema;

    public OtpGateServer()
    {
        _settings = new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = _dataDirectory,
            ["Security:Secret"] = "twilio-tests-secret-0123456789-abcdefghijklmnop",
            ["Sandbox:SentAfter"] = "00:00:00.050",
            ["Sandbox:DeliveredAfter"] = "00:00:00.100",
            ["Sandbox:ReadAfter"] = "00:00:00.150",
            // Statuses are not what these tests look at: no webhook to register before the first test.
            ["OneMsg:RegisterWebhook"] = "false",
            ["Verification:MaxStartsPerIpPer10Minutes"] = "1000",
            // Every test shares the server: sequential numbers of one prefix, mostly never approved, are a pumping run to
            // the fraud guard, whose rules are the engine's tests.
            ["Fraud:Enabled"] = "false",
            // Twilio resends the code at every start for a pending number; OtpGate does so once its resend cooldown
            // (30 s by default) has passed, and returns the pending verification unsent before: no cooldown here.
            ["Verification:ResendCooldown"] = "00:00:00",
            ["Api:RateLimit:PerIpPerMinute"] = "10000",
            ["Api:RateLimit:PerKeyPerMinute"] = "10000",
            ["Services:shop:FriendlyName"] = "Shop",
            ["Api:AdminKeys:tests"] = AdminKey,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in Credentials.Settings())
        {
            _settings[key] = value;
        }

        UseKestrel(0);
    }

    /// <summary>An OtpGate admin key (its own API), for what the tests look up outside the Twilio surface.</summary>
    public const string AdminKey = "twilio-tests-admin-key-0123456789";

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Root => ClientOptions.BaseAddress;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        // The server validates its registrations and scopes only in Development; the tests keep both on.
        builder.UseDefaultServiceProvider(options => options.ValidateOnBuild = options.ValidateScopes = true);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public async ValueTask InitializeAsync()
    {
        if (PostgresTestServer.IsSelected)
        {
            var (connectionString, drop) = await PostgresTestServer.CreateSchemaAsync();
            _settings["Storage:Provider"] = "postgres";
            _settings["Storage:ConnectionString"] = connectionString;
            _dropSchema = drop;
        }

        StartServer();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        if (_dropSchema is not null)
        {
            await _dropSchema();
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A new valid US number in E.164 for each call, past the sandbox's scenario numbers (0101 to 0110): it delivers at once.</summary>
    public string NextPhone() => $"+1212555{Interlocked.Increment(ref _phone):D4}";

    /// <summary>A plain client of the server with HTTP Basic credentials, as any Twilio client sends them.</summary>
    public HttpClient Basic(string username, string password)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
        return client;
    }

    /// <summary>The latest code the sandbox's phone received, once it has at least <paramref name="messages"/> messages.</summary>
    public async Task<string> ReadCodeAsync(string phone, int messages = 1)
    {
        using var client = CreateClient();
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        for (var i = 0; i < 300; i++)
        {
            var list = await client.GetFromJsonAsync<JsonArray>($"/sandbox/_sandbox/messages?phone={digits}", TestContext.Current.CancellationToken);
            if (list is { Count: > 0 } && list.Count >= messages)
            {
                return list[^1]!["code"]!.GetValue<string>();
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        throw new InvalidOperationException($"No message reached {phone} in the sandbox.");
    }

    /// <summary>
    /// The code in the latest SMS the embedded default's Twilio stand-in delivered to <paramref name="phone"/>, read from
    /// the sandbox's inbox as a script would: an SMS is text, so the code is the first run of digits in it.
    /// </summary>
    public async Task<string> ReadSmsCodeAsync(string phone)
    {
        using var client = CreateClient();
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        for (var i = 0; i < 300; i++)
        {
            var list = await client.GetFromJsonAsync<JsonArray>($"/sandbox/_sandbox/messages?phone={digits}", TestContext.Current.CancellationToken);
            if (list?.LastOrDefault(m => m!["channel"]!.GetValue<string>() == "sms") is { } sms)
            {
                return SmsCode().Match(sms["text"]!.GetValue<string>()).Value;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        throw new InvalidOperationException($"No SMS reached {phone} in the sandbox.");
    }

    [System.Text.RegularExpressions.GeneratedRegex("[0-9]{4,10}")]
    private static partial System.Text.RegularExpressions.Regex SmsCode();

    /// <summary>The <c>VA…</c> sid of a service, by its OtpGate id, from OtpGate's own admin API.</summary>
    public async Task<string> ServiceSidAsync(string id)
    {
        using var client = Admin();
        var service = await client.GetFromJsonAsync<JsonObject>($"/v1/services/{id}", TestContext.Current.CancellationToken);
        return service!["sid"]!.GetValue<string>();
    }

    /// <summary>An API key (<c>SK…</c>) and its secret issued for the service <c>shop</c>, with the account sid it acts as.</summary>
    /// Issued as an operator does, through OtpGate's admin API: an account of the service, then a key of that account.
    public async Task<(string Sid, string Secret, string AccountSid)> ShopApiKeyAsync()
    {
        using var admin = Admin();
        var account = await IssueAsync(admin, new { service = "shop", friendlyName = "shop app" });
        var key = await IssueAsync(admin, new { accountSid = account["sid"]!.GetValue<string>(), friendlyName = "shop app key" });
        return (key["sid"]!.GetValue<string>(), key["secret"]!.GetValue<string>(), key["accountSid"]!.GetValue<string>());
    }

    private static async Task<JsonObject> IssueAsync(HttpClient admin, object request)
    {
        using var response = await admin.PostAsJsonAsync("/v1/twilio-credentials", request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, body);
        return JsonNode.Parse(body)!.AsObject();
    }

    private HttpClient Admin()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    /// <summary>A code of the given length that is not <paramref name="right"/>.</summary>
    public static string WrongCode(string right) => new([.. right.Select(digit => digit == '9' ? '0' : (char)(digit + 1))]);
}
