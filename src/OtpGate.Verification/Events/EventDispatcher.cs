using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Events;

/// <summary>
/// Delivers events to their endpoints as signed webhooks. Each endpoint is claimed for on its own, up to
/// <see cref="EventOptions.MaxConcurrencyPerEndpoint"/> deliveries in flight, each bounded by
/// <see cref="EventOptions.Timeout"/>: a slow or dead endpoint holds only its own slots, never another endpoint's nor a
/// verification (the code sends have their own dispatcher). A delivery is claimed with a lease longer than any attempt
/// can take; a crash leaves the lease to run out and another instance (or the next start) delivers it again, with the
/// same <c>webhook-id</c>.
/// </summary>
public sealed partial class EventDispatcher : BackgroundService
{
    private readonly Database _database;
    private readonly EventEndpoints _endpoints;
    private readonly EventSignal _signal;
    private readonly EventMetrics _metrics;
    private readonly EventOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<EventDispatcher> _logger;
    private readonly HttpClient _http;
    private readonly ConcurrentDictionary<long, (string Endpoint, Task Attempt)> _inFlight = new();
    private readonly ConcurrentDictionary<string, int> _inFlightPerEndpoint = new(StringComparer.Ordinal);
    private long _claims;

    /// <summary>When old events are next purged (Unix ms): at most once an hour, by whichever pass comes first.</summary>
    private long _purgeAt;

    public EventDispatcher(
        Database database, EventEndpoints endpoints, EventSignal signal, EventMetrics metrics, IOptions<EventOptions> options, TimeProvider time,
        ILogger<EventDispatcher> logger)
    {
        (_database, _endpoints, _signal, _metrics, _options, _time, _logger) = (database, endpoints, signal, metrics, options.Value, time, logger);
        // Redirects are not followed (a receiver moved is a failure to see, not a place to post events to); the
        // attempt's own timeout bounds it, so the client's is off.
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("OtpGate-Webhooks/1");
    }

    /// <summary>This process's name on the claims it takes.</summary>
    public string InstanceId { get; } = Environment.MachineName + ":" + Environment.ProcessId + ":" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    /// <summary>Deliveries in flight now (counted down when an attempt's outcome is written, before its task ends).</summary>
    public int InFlight => _inFlightPerEndpoint.Values.Sum();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (!_database.Dialect.SharedByInstances)
            {
                // One process owns a SQLite file: claims left by an earlier run belong to a dead process.
                await EventStore.ReleaseAllClaimsAsync(_database, stoppingToken);
            }

            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await DispatchAvailableAsync(stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    if (!_database.ReportFailure(e))
                    {
                        LogPassFailed(_logger, e);
                    }
                }

                await _signal.WaitAsync(_options.PollInterval, _time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Each attempt is bounded by its timeout; one cut short here is delivered again after its lease.
            await WhenIdleAsync();
        }
    }

    /// <summary>Claims, for every enabled endpoint with a free slot, its due deliveries and starts them; returns how many.</summary>
    public async Task<int> DispatchAvailableAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (now >= _purgeAt)
        {
            _purgeAt = now + (long)TimeSpan.FromHours(1).TotalMilliseconds;
            await PurgeAsync(cancellationToken);
        }

        var leaseUntil = now + (long)_options.Lease.TotalMilliseconds;
        var claimed = 0;
        foreach (var endpoint in await EventEndpointStore.ListAsync(_database, enabledOnly: true, cancellationToken))
        {
            var room = _options.MaxConcurrencyPerEndpoint - _inFlightPerEndpoint.GetValueOrDefault(endpoint.Id);
            if (room <= 0)
            {
                continue;
            }

            var claim = InstanceId + "/" + Interlocked.Increment(ref _claims);
            foreach (var delivery in await EventStore.ClaimAsync(_database, endpoint.Id, claim, room, now, leaseUntil, cancellationToken))
            {
                _inFlightPerEndpoint.AddOrUpdate(endpoint.Id, 1, (_, count) => count + 1);
                var attempt = RunAsync(endpoint, delivery);
                _inFlight[delivery.Id] = (endpoint.Id, attempt);
                // Removed only after it was added, however fast the attempt ends.
                _ = attempt.ContinueWith(_ => _inFlight.TryRemove(delivery.Id, out var _), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                claimed++;
            }
        }

        return claimed;
    }

    /// <summary>Delivers everything due and waits for every attempt: one complete pass, for tests and tools.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var claimed = await DispatchAvailableAsync(cancellationToken);
            total += claimed;
            await WhenIdleAsync();
            if (claimed == 0)
            {
                return total;
            }
        }
    }

    /// <summary>Deletes the events older than <see cref="EventOptions.Retention"/> with nothing left to deliver; returns how many.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        await using var scope = await _database.BeginWriteAsync(cancellationToken);
        var purged = await EventStore.PurgeAsync(scope, _time.GetUtcNow().ToUnixTimeMilliseconds() - (long)_options.Retention.TotalMilliseconds);
        await scope.CommitAsync(cancellationToken);
        return purged;
    }

    /// <summary>Waits for the attempts in flight (to one endpoint, when given) to end.</summary>
    public Task WhenIdleAsync(string? endpointId = null) =>
        Task.WhenAll(_inFlight.Values.Where(f => endpointId is null || f.Endpoint == endpointId).Select(f => f.Attempt));

    private async Task RunAsync(EndpointRow endpoint, ClaimedDelivery delivery)
    {
        await Task.Yield();
        try
        {
            var outcome = await AttemptAsync(endpoint, delivery);
            await RecordAsync(endpoint, delivery, outcome);
        }
        catch (Exception e)
        {
            // The claim stays; its lease runs out and the delivery is tried again.
            if (!_database.ReportFailure(e))
            {
                LogDeliveryFailed(_logger, delivery.Id, e);
            }
        }
        finally
        {
            _inFlightPerEndpoint.AddOrUpdate(endpoint.Id, 0, (_, count) => count - 1);
            _signal.Notify();
        }
    }

    /// <summary>One POST of the event, signed with every key that signs for the endpoint now; never throws for the receiver's faults.</summary>
    private async Task<AttemptOutcome> AttemptAsync(EndpointRow endpoint, ClaimedDelivery delivery)
    {
        var started = _time.GetTimestamp();
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        var signatures = string.Join(' ', _endpoints.SigningKeys(endpoint, _time.GetUtcNow().ToUnixTimeMilliseconds())
            .Select(key => WebhookSecret.Sign(key, delivery.EventId, timestamp, delivery.Payload)));
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
        {
            Content = new StringContent(delivery.Payload, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", delivery.EventId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", signatures);
        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return new AttemptOutcome((int)response.StatusCode, null, Elapsed(started));
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return new AttemptOutcome(null, $"no answer within {_options.Timeout.TotalSeconds:0.###} s", Elapsed(started));
        }
        catch (HttpRequestException e)
        {
            return new AttemptOutcome(null, e.HttpRequestError == HttpRequestError.Unknown ? "the request failed" : e.HttpRequestError.ToString(), Elapsed(started));
        }
    }

    private long Elapsed(long started) => (long)_time.GetElapsedTime(started).TotalMilliseconds;

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "An event delivery pass failed")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event delivery {DeliveryId} failed; it is tried again after its lease")]
    private static partial void LogDeliveryFailed(ILogger logger, long deliveryId, Exception exception);
}

/// <summary>What one attempt got: the status code of the answer, or why there was none; how long it took.</summary>
internal sealed record AttemptOutcome(int? StatusCode, string? Error, long LatencyMs)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}
