using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace OtpGate.OneMsg.Tests.Support;

/// <summary>
/// An <see cref="OneMsgClient"/> built the way applications build it (<c>AddOneMsgClient</c>), with every log
/// line captured at Trace level and a handler that counts the attempts that reach the network.
/// </summary>
public sealed class ClientHarness : IAsyncDisposable
{
    /// <summary>A token distinctive enough to be found if it leaks anywhere.</summary>
    public const string Token = "tok-5ecr3t-Zq9xW2vL7pK4mN8";

    private readonly ServiceProvider _services;

    private ClientHarness(ServiceProvider services, AttemptCounter attempts)
    {
        _services = services;
        Attempts = attempts;
        Client = services.GetRequiredService<OneMsgClient>();
        Logs = services.GetFakeLogCollector();
    }

    public OneMsgClient Client { get; }

    public FakeLogCollector Logs { get; }

    public AttemptCounter Attempts { get; }

    /// <summary>Everything logged so far, message and structured state, one entry per line.</summary>
    public string AllLogText => string.Join("\n", Logs.GetSnapshot().Select(r =>
        $"{r.Level} {r.Category} {r.Message} {string.Join(";", r.StructuredState?.Select(kv => $"{kv.Key}={kv.Value}") ?? [])} {r.Exception}"));

    /// <summary>Tiny delays so retry tests take milliseconds; tests that need other values pass <paramref name="tweak"/>.</summary>
    public static ClientHarness Create(Uri baseUrl, Action<OneMsgOptions>? tweak = null)
    {
        var attempts = new AttemptCounter();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        services.AddOneMsgClient(options =>
        {
            options.BaseUrl = baseUrl;
            options.ChannelId = ScriptedServer.ChannelId;
            options.Token = Token;
            options.AttemptTimeout = TimeSpan.FromSeconds(5);
            options.MaxRetries = 2;
            options.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
            options.MaxRetryDelay = TimeSpan.FromSeconds(2);
            tweak?.Invoke(options);
        }).AddHttpMessageHandler(() => new CountingHandler(attempts));
        return new ClientHarness(services.BuildServiceProvider(), attempts);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    public sealed class AttemptCounter
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Increment() => Interlocked.Increment(ref _count);
    }

    /// <summary>Added after the resilience handler, so it runs once per attempt.</summary>
    private sealed class CountingHandler(AttemptCounter counter) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            counter.Increment();
            return base.SendAsync(request, cancellationToken);
        }
    }
}
