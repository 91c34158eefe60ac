using System.Net;
using System.Net.Http.Json;
using Npgsql;
using OtpGate.Server.Tests.Support;
using OtpGate.Verification.Tests.Support;

namespace OtpGate.Server.Tests.Operations;

/// <summary>
/// A burst that needs more PostgreSQL connections than the pool has: the requests that wait too long for one answer
/// 503 <c>overloaded</c> with <c>Retry-After: 1</c>, the instance stays ready (busy is not broken: taking every busy
/// instance out of the load balancer at once would turn a spike into an outage), and nothing is logged as a storage fault.
/// </summary>
[Trait("Storage", "postgres-only")]
public sealed class OverloadTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Requests_that_find_every_connection_busy_answer_503_overloaded_and_the_instance_stays_ready()
    {
        var (schema, drop) = await PostgresTestServer.CreateSchemaAsync();
        try
        {
            // A small pool whose waits end after a second, so a burst finds it full.
            var small = new NpgsqlConnectionStringBuilder(schema) { MaxPoolSize = 4, Timeout = 1 }.ConnectionString;
            await using var server = new CustomServer(new() { ["Storage:Provider"] = "postgres", ["Storage:ConnectionString"] = small });
            await server.InitializeAsync();
            await server.StartAsync(server.NextPhone());

            // Another session locks the verifications table: the starts that got a connection hold it while they wait.
            await using var blocker = new NpgsqlConnection(schema);
            await blocker.OpenAsync(Ct);
            await using var transaction = await blocker.BeginTransactionAsync(Ct);
            await using (var lockTable = new NpgsqlCommand("LOCK TABLE verifications IN ACCESS EXCLUSIVE MODE", blocker, transaction))
            {
                await lockTable.ExecuteNonQueryAsync(Ct);
            }

            using var api = server.Api();
            var burst = Enumerable.Range(0, 10).Select(_ => api.PostAsJsonAsync("/v1/verifications", new { phone = server.NextPhone() }, Ct)).ToList();
            var first = await Task.WhenAny(burst);
            using var busy = await first;
            Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
            var problem = await ServerFactory.ProblemAsync(busy);
            Assert.Equal("overloaded", problem["code"]!.GetValue<string>());
            Assert.Equal(TimeSpan.FromSeconds(1), busy.Headers.RetryAfter?.Delta);

            using var readiness = await server.CreateClient().GetAsync("/readyz", Ct);
            var report = await readiness.Content.ReadAsStringAsync(Ct);
            Assert.Equal(HttpStatusCode.OK, readiness.StatusCode);
            Assert.Contains("Every database connection is busy", report, StringComparison.Ordinal);

            await transaction.CommitAsync(Ct);
            var answers = await Task.WhenAll(burst);
            Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.ServiceUnavailable }));
            Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.Created);
            await server.StartAsync(server.NextPhone());
            Assert.DoesNotContain(server.Logs.Entries, e => e.Text.Contains("Storage writes are failing", StringComparison.Ordinal) || e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
            foreach (var answer in answers)
            {
                answer.Dispose();
            }
        }
        finally
        {
            await drop();
        }
    }
}
