using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OtpGate.Verification.Services;
using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Tests.Services;

/// <summary>
/// The hot path reads its service's version once per operation: a start, a check, a resend (and the snapshot each answers
/// with) and a read. Counted as the SQL PostgreSQL was sent, through Npgsql's own tracing (its <c>Npgsql</c> activity
/// source, which carries each command's text); SQLite's driver has no such hook, so this runs on PostgreSQL only.
/// </summary>
[Trait("Storage", "postgres-only")]
public sealed class ServiceVersionReadTests
{
    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task A_start_a_check_a_resend_and_a_read_each_read_the_services_version_once()
    {
        var (connectionString, drop) = await PostgresTestServer.CreateSchemaAsync();
        try
        {
            await using var engine = await Engine.StartAsync(settings: new() { ["Storage:Provider"] = "postgres", ["Storage:ConnectionString"] = connectionString });
            await engine.Services.GetRequiredService<ServiceCatalog>().CreateAsync("shop", "Shop", new ServiceSettings(), None);
            var shop = VerificationOwner.ApiKey("app", "shop");
            // The first operation parses the service into the cache; the ones counted find it current.
            await engine.Verifications.StartAsync(shop, new StartRequest("+1 212 555 0100"), None);
            using var reads = new VersionReads();

            var (start, started) = await reads.CountAsync(() => engine.Verifications.StartAsync(shop, new StartRequest("+1 212 555 0101"), None));
            var id = started.Verification!.Id;
            var code = await engine.ReadCodeAsync(id);
            var (check, wrong) = await reads.CountAsync(() => engine.Verifications.CheckAsync(shop, id, code[0] == '0' ? "1" + code[1..] : "0" + code[1..], None));
            engine.Time.Advance(TimeSpan.FromMinutes(1));
            var (resend, resent) = await reads.CountAsync(() => engine.Verifications.ResendAsync(shop, id, None));
            var (read, snapshot) = await reads.CountAsync(() => engine.Verifications.GetAsync(shop, id, None));

            Assert.Equal((Refusal.WrongCode, true, 4), (wrong.Refusal!.Reason, resent.Succeeded, snapshot!.AttemptsLeft));
            Assert.Equal((1, 1, 1, 1), (start, check, resend, read));
        }
        finally
        {
            await drop();
        }
    }

    /// <summary>
    /// Counts <c>SELECT version FROM services</c> commands run within one operation: only those of its own trace, so the
    /// commands of other tests running at the same time are not counted.
    /// </summary>
    private sealed class VersionReads : IDisposable
    {
        private const string OperationsName = "OtpGate.Tests.ServiceVersionReads";

        private static readonly ActivitySource Operations = new(OperationsName);

        private readonly ActivityListener _listener;
        private ActivityTraceId _trace;
        private int _count;

        public VersionReads()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name is "Npgsql" or OperationsName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    if (activity.Source.Name == "Npgsql" && activity.TraceId == _trace
                        && activity.GetTagItem("db.query.text") is string sql && sql.Contains("SELECT version FROM services", StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref _count);
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public async Task<(int Reads, T Result)> CountAsync<T>(Func<Task<T>> operation)
        {
            using var root = Operations.StartActivity("operation") ?? throw new InvalidOperationException("The listener samples every activity.");
            _trace = root.TraceId;
            _count = 0;
            var result = await operation();
            return (Volatile.Read(ref _count), result);
        }

        public void Dispose() => _listener.Dispose();
    }
}
