using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging;
using OtpGate.Sandbox.Sms;
using OtpGate.Verification.Channels;
using OtpGate.Verification.Phones;

namespace OtpGate.Channels.Sms.Tests.Support;

/// <summary>
/// The SMS channel registered as a host registers it (<c>AddSmsChannel</c> over configuration keys), pointed at a
/// sandbox's Twilio stand-in, with its status callbacks going to a form receiver; every log line is kept.
/// </summary>
public sealed class SmsChannelHost : IAsyncDisposable
{
    public const string Code = "482913";

    private readonly ServiceProvider _services;

    private SmsChannelHost(ServiceProvider services, FakeLogCollector logs)
    {
        _services = services;
        Logs = logs;
    }

    public SmsChannel Channel => _services.GetRequiredService<SmsChannel>();

    public IServiceProvider Services => _services;

    public FakeLogCollector Logs { get; }

    /// <summary>A channel at <paramref name="baseUrl"/> (the sandbox's unless given) with the sandbox's account; <paramref name="settings"/> override keys.</summary>
    public static SmsChannelHost Start(Uri baseUrl, string? callbackBase, IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Sms:Provider"] = "twilio",
            ["Sms:Twilio:AccountSid"] = SandboxSmsOptions.DefaultAccountSid,
            ["Sms:Twilio:AuthToken"] = SandboxSmsOptions.DefaultAuthToken,
            ["Sms:Twilio:From"] = SandboxSmsOptions.DefaultFrom,
            ["Sms:Twilio:BaseUrl"] = baseUrl.ToString(),
            ["Sms:Twilio:MaxRetries"] = "0",
            ["Sms:StatusCallbackBaseUrl"] = callbackBase,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        Assert.NotNull(services.AddSmsChannel(configuration));
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        return new SmsChannelHost(provider, provider.GetFakeLogCollector());
    }

    public static CodeMessage Message(string e164, TimeSpan? timeToLive = null)
    {
        var ttl = timeToLive ?? TimeSpan.FromMinutes(5);
        return new CodeMessage(PhoneNumberParser.ParseOrThrow(e164), Code, "en", ttl, null, CodeText.Render(Code, "Acme", ttl));
    }

    /// <summary>Every log message and its structured values, in one string per line.</summary>
    public IReadOnlyList<string> LogLines() =>
        [.. Logs.GetSnapshot().Select(r => r.Message + " | " + string.Join(", ", r.StructuredState?.Select(p => p.Value) ?? []))];

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
