using System.Data.Common;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OtpGate.OneMsg;
using OtpGate.Verification.Storage;

namespace OtpGate.Server.Operations;

/// <summary>
/// Ready when the database answers a query and takes writes (degraded, still ready, while every pooled connection is
/// busy). While writes fail it is not ready, and tries a real write
/// itself at most once a second: a load balancer sends no traffic to an unready instance, so nothing else might find
/// out that the storage is back.
/// </summary>
internal sealed class DatabaseHealthCheck(Database database) : IHealthCheck
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (database.Health.IsFaulted)
        {
            return await ProbeAsync(cancellationToken);
        }

        try
        {
            await database.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy(database.Description);
        }
        catch (DbException e) when (StorageFault.IsOverloaded(e))
        {
            // Busy, not broken: taking this instance out of the load balancer would move its load onto the others, and
            // under a spike every instance would go at once.
            return HealthCheckResult.Degraded("Every database connection is busy; requests wait for one and some answer 503 overloaded. Raise Maximum Pool Size in Storage:ConnectionString if this lasts.");
        }
        catch (DbException e)
        {
            database.ReportFailure(e);
            return HealthCheckResult.Unhealthy("The database does not answer: " + e.Message);
        }
    }

    private async Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken)
    {
        if (database.Health.TryStartProbe())
        {
            try
            {
                // Through the normal write path: its success is what ends the fault, for the API as well.
                await database.ProbeWriteAsync(cancellationToken).WaitAsync(ProbeTimeout, cancellationToken);
            }
            catch (Exception e) when (e is TimeoutException || StorageFault.IsUnavailable(e))
            {
                // Still failing (recorded by the write path); the answer below says why.
            }
        }

        return database.Health is { IsFaulted: true, Reason: var reason, FaultedSince: { } since }
            ? HealthCheckResult.Unhealthy($"Storage writes are failing since {since:u}: {reason}. API writes answer 503 until they succeed.")
            : HealthCheckResult.Healthy(database.Description);
    }
}

/// <summary>The 1MSG channel's status, reported but never fatal (Degraded at worst): codes still queue while 1MSG is away.</summary>
internal sealed class ChannelHealthCheck(ChannelProbe probe) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) => probe.CheckAsync(cancellationToken);
}

/// <summary>Asks 1MSG for the channel status at most every 15 seconds, however often readiness is probed.</summary>
internal sealed class ChannelProbe(IServiceProvider services, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(15);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (HealthCheckResult Result, DateTimeOffset At)? _last;

    public async Task<HealthCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_last is { } last && time.GetUtcNow() - last.At < CacheFor)
            {
                return last.Result;
            }

            var result = await AskAsync(cancellationToken);
            _last = (result, time.GetUtcNow());
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<HealthCheckResult> AskAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            var status = await services.GetRequiredService<OneMsgClient>().GetStatusAsync(timeout.Token);
            var data = new Dictionary<string, object> { ["status"] = status.Status };
            return status.IsOk
                ? HealthCheckResult.Healthy($"1MSG channel is {status.Status}.", data)
                : HealthCheckResult.Degraded($"1MSG channel is {status.Status}; codes wait in the outbox until it can send.", data: data);
        }
        catch (Exception e) when (e is OneMsgException or HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Degraded("1MSG could not be asked for the channel status: " + e.Message);
        }
    }
}

/// <summary><c>{"status": "Healthy", "checks": {"database": {"status", "description"}, ...}}</c>.</summary>
internal static class HealthReportWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }
}
