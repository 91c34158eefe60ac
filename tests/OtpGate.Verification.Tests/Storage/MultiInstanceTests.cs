using OtpGate.Verification.Limits;
using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Tests.Storage;

/// <summary>
/// Three engine instances (each with its own connection pool and state) on one PostgreSQL database: limits and
/// single use hold globally. Three real server processes, their sends and a kill test are in the server's
/// Scaling tests.
/// </summary>
[Trait("Storage", "postgres-only")]
public sealed class MultiInstanceTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static async Task<(Engine[] Instances, Func<Task> Drop)> StartThreeAsync()
    {
        var (connectionString, drop) = await PostgresTestServer.CreateSchemaAsync();
        // 40 starts to one prefix at once is a sweep the fraud guard refuses (its own multi-instance test); these are about limits and checks.
        var settings = new Dictionary<string, string?> { ["Storage:Provider"] = "postgres", ["Storage:ConnectionString"] = connectionString, ["Fraud:Enabled"] = "false" };
        var instances = new Engine[3];
        for (var i = 0; i < instances.Length; i++)
        {
            instances[i] = await Engine.StartAsync(time: TimeProvider.System, settings: settings);
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

            var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => instances[i % 3].Verifications.CheckAsync(Engine.Owner, id, wrong, None))));

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
                instances[i % 3].Verifications.StartAsync(Engine.Owner, new StartRequest($"+1646500{i:D4}", ClientIp: "198.51.100.9"), None))));
            // 12 starts for one phone, at once: one verification, never a second live one.
            var byPhone = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() =>
                instances[i % 3].Verifications.StartAsync(Engine.Owner, new StartRequest("+1 646 600 0001"), None))));

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
}
