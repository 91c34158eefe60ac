using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using OtpGate.Verification.Channels;
using OtpGate.Verification.Outbox;
using OtpGate.Verification.Tests.Support;

namespace OtpGate.Verification.Tests.Fallback;

/// <summary>Two dispatchers (two instances) on one PostgreSQL database sweep the same due deadlines: each code goes by SMS once.</summary>
[Trait("Storage", "postgres-only")]
public sealed class FallbackAcrossInstancesTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Two_dispatchers_sweeping_the_same_deadlines_send_each_code_by_SMS_once()
    {
        var (connectionString, drop) = await PostgresTestServer.CreateSchemaAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        await using var sandbox = await DeliveryHarness.StartSandboxAsync(time);
        var sms = new SecondChannel(CodeChannels.SmsName, n => new CodeAccepted($"SM{n:D32}"));
        // Forty starts to one prefix in a moment is a sweep to the fraud guard; the guard is not what this test is about.
        var settings = new Dictionary<string, string?> { ["Storage:Provider"] = "postgres", ["Storage:ConnectionString"] = connectionString, ["Fraud:Enabled"] = "false" };
        var instances = new Engine[2];
        try
        {
            for (var i = 0; i < instances.Length; i++)
            {
                instances[i] = await Engine.StartAsync(o => o.Dispatch.ChannelRatePerSecond = 1000, sandbox, time, settings, s =>
                {
                    s.AddSingleton<ICodeChannel>(sms);
                    s.Replace(ServiceDescriptor.Singleton(new SendPacer(1000, TimeProvider.System)));
                });
            }

            // Forty WhatsApp messages the sandbox never delivers, accepted by the first instance.
            var ids = new List<string>();
            for (var i = 0; i < 40; i++)
            {
                ids.Add(await instances[0].StartVerificationAsync(FallbackHarness.NeverDelivered.Replace("0102", $"0{200 + i}", StringComparison.Ordinal)));
            }

            await instances[0].Dispatcher.DispatchDueAsync(None);
            time.Advance(TimeSpan.FromSeconds(16));

            var queued = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => instances[i % 2].Dispatcher.FallBackDueAsync(None))));
            await Task.WhenAll(instances.Select(e => e.Dispatcher.DispatchDueAsync(None)));

            Assert.Equal(40, queued.Sum());
            Assert.Equal(40, sms.Sent.Count);
            Assert.Equal(40, sms.Sent.Select(s => s.Phone.Digits).Distinct().Count());
            Assert.Equal(40L, await instances[1].ScalarAsync<long>("SELECT COUNT(*) FROM sends WHERE reason = 'fallback'"));
            Assert.Equal(40L, await instances[1].ScalarAsync<long>("SELECT COUNT(*) FROM verification_events WHERE kind = 'fallback'"));
        }
        finally
        {
            foreach (var instance in instances.Where(i => i is not null))
            {
                await instance.DisposeAsync();
            }

            await drop();
        }
    }
}
