using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OtpGate.Verification.Fraud;
using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Tests.Fraud;

/// <summary>
/// Two engine instances on one PostgreSQL share the guard's counters and rules; and what the guard adds to one start,
/// counted as the SQL PostgreSQL was sent (Npgsql's tracing, as <c>ServiceVersionReadTests</c> does).
/// </summary>
[Trait("Storage", "postgres-only")]
public sealed class FraudAcrossInstancesTests
{
    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task Two_instances_count_one_prefixs_starts_and_its_conversion_together()
    {
        var (connectionString, drop) = await PostgresTestServer.CreateSchemaAsync();
        try
        {
            var settings = new Dictionary<string, string?> { ["Storage:Provider"] = "postgres", ["Storage:ConnectionString"] = connectionString };
            var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
            await using var first = await Engine.StartAsync(time: time, settings: settings);
            await using var second = await Engine.StartAsync(time: time, settings: settings);
            var (one, two) = (new Traffic(first), new Traffic(second));

            // The prefix's 10 starts a minute, taken 5 and 5: the 11th is refused, on either instance.
            Assert.Equal(0, await one.SweepAsync("+1 212 555 ", 0, 5) + await two.SweepAsync("+1 212 555 ", 5, 5));
            Assert.Equal(1, await one.SweepAsync("+1 212 555 ", 10, 1));
            Assert.Equal(1, await two.SweepAsync("+1 212 555 ", 11, 1));

            // 8 a minute from each instance in turn: judged together, the block made on one is kept by both.
            for (var minute = 1; minute < 4; minute++)
            {
                time.Advance(TimeSpan.FromMinutes(1));
                await (minute % 2 == 0 ? one : two).SweepAsync("+1 212 555 ", minute * 100, 8);
            }

            Assert.Equal(4, await one.SweepAsync("+1 212 555 ", 900, 4));
            Assert.Equal(4, await two.SweepAsync("+1 212 555 ", 950, 4));
            Assert.Equal("+12125", Assert.Single(await second.Services.GetRequiredService<FraudLists>().ListAsync(None)).Target.Display);
        }
        finally
        {
            await drop();
        }
    }

    [Fact]
    public async Task The_guard_adds_two_statements_to_a_start_one_read_and_one_upsert()
    {
        var (connectionString, drop) = await PostgresTestServer.CreateSchemaAsync();
        try
        {
            await using var engine = await Engine.StartAsync(settings: new() { ["Storage:Provider"] = "postgres", ["Storage:ConnectionString"] = connectionString });
            await engine.Verifications.StartAsync(Engine.Owner, new StartRequest("+1 212 555 0100"), None);
            using var statements = new Statements();

            var (all, fraud, started) = await statements.CountAsync(() => engine.Verifications.StartAsync(Engine.Owner, new StartRequest("+1 212 555 0101"), None));

            Assert.True(started.Created);
            Assert.Equal(2, fraud);
            TestContext.Current.SendDiagnosticMessage($"A start ran {all.Count} statements, {fraud} of them the fraud guard's.");
        }
        finally
        {
            await drop();
        }
    }

    /// <summary>The SQL of every command of one operation's own trace (not other tests' running at the same time).</summary>
    private sealed class Statements : IDisposable
    {
        private const string OperationsName = "OtpGate.Tests.FraudStatements";

        private static readonly ActivitySource Operations = new(OperationsName);

        private readonly ActivityListener _listener;
        private readonly List<string> _sql = [];
        private ActivityTraceId _trace;

        public Statements()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name is "Npgsql" or OperationsName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    if (activity.Source.Name == "Npgsql" && activity.TraceId == _trace && activity.GetTagItem("db.query.text") is string sql)
                    {
                        lock (_sql)
                        {
                            _sql.Add(sql);
                        }
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public async Task<(IReadOnlyList<string> All, int Fraud, T Result)> CountAsync<T>(Func<Task<T>> operation)
        {
            using var root = Operations.StartActivity("operation") ?? throw new InvalidOperationException("The listener samples every activity.");
            _trace = root.TraceId;
            var result = await operation();
            lock (_sql)
            {
                return ([.. _sql], _sql.Count(s => s.Contains("fraud_counters", StringComparison.Ordinal) || s.Contains("fraud_rules", StringComparison.Ordinal)), result);
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
