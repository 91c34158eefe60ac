using OtpGate.Sandbox;
using OtpGate.Verification.Limits;
using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Tests.Storage;

/// <summary>
/// Three engine instances (each with its own connection pool, dispatcher and state) on one PostgreSQL database:
/// limits and single use hold globally, and each job is sent by exactly one instance.
/// </summary>
[Trait("Storage", "postgres-only")]
public sealed class MultiInstanceTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static async Task<(Engine[] Instances, Func<Task> Drop)> StartThreeAsync(SandboxServer? sandbox = null)
    {
        var (connectionString, drop) = await PostgresTestServer.CreateSchemaAsync();
        var settings = new Dictionary<string, string?> { ["Storage:Provider"] = "postgres", ["Storage:ConnectionString"] = connectionString };
        var instances = new Engine[3];
        for (var i = 0; i < instances.Length; i++)
        {
            instances[i] = await Engine.StartAsync(o => o.Dispatch.ChannelRatePerSecond = 1000, sandbox, TimeProvider.System, settings);
        }

        return (instances, drop);
    }

    private static async Task StopAsync(Engine[] instances, Func<Task> drop)
    {
        foreach (var instance in instances)
        {
            await instance.DisposeAsync();
        }

        await drop();
    }

    [Fact]
    public async Task Two_hundred_parallel_wrong_checks_over_three_instances_make_exactly_five_comparisons()
    {
        var (instances, drop) = await StartThreeAsync();
        try
        {
            var id = await instances[0].StartVerificationAsync();
            var code = await instances[0].ReadCodeAsync(id);
            var wrong = code == "123456" ? "654321" : "123456";

            var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => instances[i % 3].Verifications.CheckAsync(id, wrong, None))));

            Assert.Equal(5, results.Count(r => r.Refusal!.Reason == Refusal.WrongCode));
            Assert.Equal(195, results.Count(r => r.Refusal!.Reason == Refusal.MaxAttemptsReached));
        }
        finally
        {
            await StopAsync(instances, drop);
        }
    }

    [Fact]
    public async Task Limits_hold_across_instances_under_concurrency()
    {
        var (instances, drop) = await StartThreeAsync();
        try
        {
            // 40 starts from one IP, at once, spread over the instances: exactly 20 may pass.
            var byIp = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() =>
                instances[i % 3].Verifications.StartAsync(new StartRequest($"+1646500{i:D4}", ClientIp: "198.51.100.9"), None))));
            // 12 starts for one phone, at once: one verification, never a second live one.
            var byPhone = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() =>
                instances[i % 3].Verifications.StartAsync(new StartRequest("+1 646 600 0001"), None))));

            Assert.Equal(20, byIp.Count(r => r.Refusal is null));
            Assert.All(byIp.Where(r => r.Refusal is not null), r => Assert.Equal(LimitNames.IpStarts10Minutes, r.Refusal!.Limit));
            Assert.Single(byPhone.Select(r => r.Verification!.Id).Distinct());
            Assert.Equal(1, byPhone.Count(r => r.Created));
        }
        finally
        {
            await StopAsync(instances, drop);
        }
    }

    [Fact]
    public async Task Two_thousand_verifications_started_round_robin_are_each_sent_exactly_once()
    {
        await using var sandbox = await SandboxServer.StartAsync(o => o.RateLimitPerSecond = 1000, cancellationToken: TestContext.Current.CancellationToken);
        var (instances, drop) = await StartThreeAsync(sandbox);
        try
        {
            var starts = Enumerable.Range(0, 2000).Select(i => Task.Run(() =>
                instances[i % 3].Verifications.StartAsync(new StartRequest($"+1646700{i:D4}"), None)));
            // All three dispatchers claim and send while the starts are still coming in.
            var dispatching = Task.WhenAll(instances.Select(instance => Task.Run(async () =>
            {
                for (var pass = 0; pass < 40; pass++)
                {
                    await instance.Dispatcher.DispatchDueAsync(None);
                    await Task.Delay(25);
                }
            })));
            var started = await Task.WhenAll(starts);
            await dispatching;
            foreach (var instance in instances)
            {
                await instance.Dispatcher.DispatchDueAsync(None);
            }

            Assert.All(started, r => Assert.Null(r.Refusal));
            for (var i = 0; i < 2000; i++)
            {
                Assert.Equal(1, sandbox.Messages.GetRequestCount($"1646700{i:D4}"));
            }

            Assert.Equal(2000L, await instances[0].ScalarAsync<long>("SELECT COUNT(*) FROM sends WHERE message_id IS NOT NULL"));
            Assert.Equal(0L, await instances[0].ScalarAsync<long>("SELECT COUNT(*) FROM sends WHERE job_state IN ('queued', 'claimed')"));
        }
        finally
        {
            await StopAsync(instances, drop);
        }
    }
}
