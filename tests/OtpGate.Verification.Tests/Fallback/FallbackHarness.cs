using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using OtpGate.OneMsg.Webhooks;
using OtpGate.Sandbox;
using OtpGate.Verification.Channels;
using OtpGate.Verification.Outbox;
using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Tests.Fallback;

/// <summary>
/// WhatsApp through the real sandbox on a fake clock, and the SMS side through the port with <see cref="SecondChannel"/>
/// named <c>sms</c> (the real SMS adapter has its own tests against the sandbox's SMS stand-in).
/// </summary>
internal sealed class FallbackHarness : IAsyncDisposable
{
    public const string NeverDelivered = "+1 212 555 0102";
    public const string NotOnWhatsApp = "+1 212 555 0101";
    public const string NotOptedIn = "+1 212 555 0107";

    private FallbackHarness(SandboxServer sandbox, Engine engine, SecondChannel sms)
    {
        Sandbox = sandbox;
        Engine = engine;
        Sms = sms;
    }

    public SandboxServer Sandbox { get; }

    public Engine Engine { get; }

    public SecondChannel Sms { get; }

    public FakeTimeProvider Time => Engine.Time;

    public static async Task<FallbackHarness> StartAsync(
        Action<VerificationOptions>? configure = null, Func<int, CodeSendOutcome>? sms = null, bool withSms = true,
        Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        var sandbox = await DeliveryHarness.StartSandboxAsync(time);
        var channel = new SecondChannel(CodeChannels.SmsName, sms ?? (n => new CodeAccepted($"SM{n:D32}")));
        var engine = await Engine.StartAsync(o =>
        {
            o.Dispatch.StatusPollAfter = TimeSpan.FromMilliseconds(1);
            o.Dispatch.RetryBaseDelay = TimeSpan.FromMilliseconds(50);
            o.Dispatch.ChannelRatePerSecond = 1000;
            configure?.Invoke(o);
        }, sandbox, time, settings, s =>
        {
            if (withSms)
            {
                s.AddSingleton<ICodeChannel>(channel);
            }

            // The pacer spaces sends on the real clock: a fake one that only moves when told would hold every send after the first.
            s.Replace(ServiceDescriptor.Singleton(new SendPacer(1000, TimeProvider.System)));
            services?.Invoke(s);
        });
        return new FallbackHarness(sandbox, engine, channel);
    }

    public async Task<VerificationSnapshot> GetAsync(string id) => (await Engine.Verifications.GetAsync(Engine.Owner, id, CancellationToken.None))!;

    /// <summary>Starts a verification for <paramref name="phone"/> and sends its first message: its id and its code.</summary>
    public async Task<(string Id, string Code)> StartAndSendAsync(string phone = NeverDelivered, string? channel = null, string? purpose = null, string? locale = null)
    {
        var started = await Engine.Verifications.StartAsync(Engine.Owner, new StartRequest(phone, Purpose: purpose, Locale: locale, Channel: channel), CancellationToken.None);
        Assert.Null(started.Refusal);
        var id = started.Verification!.Id;
        var code = await Engine.ReadCodeAsync(id); // before the send: a failure may erase it
        await Engine.Dispatcher.DispatchDueAsync(CancellationToken.None);
        return (id, code);
    }

    /// <summary>A 1MSG status for the message, as the webhook receiver would take it in.</summary>
    public Task IngestAsync(string messageId, DeliveryStatus status, int? errorCode = null, string? errorText = null) =>
        Engine.IngestAsync([new StatusEvent(messageId, status, status.ToString().ToLowerInvariant(), null, null, errorText, errorCode)], CancellationToken.None);

    /// <summary>Past the service's delivery deadline, then a dispatcher pass (which sweeps the deadlines first).</summary>
    public async Task PassDeadlineAsync(TimeSpan? by = null)
    {
        Time.Advance(by ?? TimeSpan.FromSeconds(16));
        await Engine.Dispatcher.DispatchDueAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
