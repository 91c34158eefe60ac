using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace OtpGate.LoadTool;

/// <summary>
/// Complete verifications, end to end, closed loop: start → the sandbox accepts the send → its callbacks (sent,
/// delivered, read) reach OtpGate → the code read from the sandbox's phone is checked → approved. Reports complete
/// verifications per second (per 10 s window, to show whether it is sustained) and start→delivered as OtpGate recorded
/// it (the verification's createdAt to its "delivery: delivered" timeline entry).
/// A flow is complete when OtpGate approved the code; start→delivered is read from the check's answer, or once after the run for verifications
/// approved before their "delivered" callback had landed (delivered_late).
/// </summary>
internal static class Flow
{
    public static async Task<int> RunAsync(Args args)
    {
        var from = args.Long("from", 0);
        var seconds = (int)args.Long("seconds", 60);
        var concurrency = (int)args.Long("concurrency", 512);
        using var api = new Api(args.Get("api"), args.Get("key"), args.Get("sandbox"), concurrency);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        using var hardStop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds + 120));
        var next = -1L;
        var clock = Stopwatch.StartNew();
        var windows = new int[seconds / 10 + 4];
        var toDelivered = new ConcurrentBag<double>();
        var flowTimes = new ConcurrentBag<double>();
        var undelivered = new ConcurrentBag<string>();
        var errors = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        void Error(string kind) => errors.AddOrUpdate(kind, 1, (_, c) => c + 1);

        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                var n = from + Interlocked.Increment(ref next);
                var began = clock.Elapsed;
                try
                {
                    var outcome = await OneAsync(api, n, hardStop.Token);
                    if (outcome.Error is { } error)
                    {
                        Error(error);
                        continue;
                    }

                    var done = clock.Elapsed;
                    if (done.TotalSeconds < seconds)
                    {
                        Interlocked.Increment(ref windows[(int)(done.TotalSeconds / 10)]);
                        flowTimes.Add((done - began).TotalMilliseconds);
                        if (outcome.DeliveredMs is { } ms)
                        {
                            toDelivered.Add(ms);
                        }
                        else
                        {
                            undelivered.Add(outcome.Id!);
                        }
                    }
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException or KeyNotFoundException)
                {
                    Error(e.GetType().Name);
                }
            }
        }).ToList();
        await Task.WhenAll(workers);

        // Approved before OtpGate had the "delivered" callback: give the callbacks 10 s to land, then read those once
        // (not polled during the run, so that reading does not load the server being measured).
        var late = undelivered.ToArray();
        await Task.Delay(TimeSpan.FromSeconds(late.Length > 0 ? 10 : 0));
        await Prepare.ForEachAsync(late.Length, 32, async i =>
        {
            using var verification = await api.GetAsync(late[i], hardStop.Token);
            if (Delivered(verification.RootElement) is { } ms)
            {
                toDelivered.Add(ms);
            }
            else
            {
                Error("delivered_never_recorded");
            }
        }, hardStop.Token);

        var complete = flowTimes.Count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"flow_complete={complete} flow_seconds={seconds} flow_per_s={complete / (double)seconds:0.0} "
            + $"delivered_late={late.Length} delivered_p50_ms={Percentile(toDelivered, 50):0} delivered_p99_ms={Percentile(toDelivered, 99):0} "
            + $"flow_p50_ms={Percentile(flowTimes, 50):0} flow_p99_ms={Percentile(flowTimes, 99):0} "
            + $"windows_per_s={string.Join('/', windows.Take(seconds / 10).Select(w => (w / 10.0).ToString("0", CultureInfo.InvariantCulture)))} "
            + $"errors={(errors.IsEmpty ? "0" : string.Join(',', errors.Select(e => $"{e.Key}:{e.Value}")))}"));
        return 0;
    }

    private sealed record Outcome(string? Error, string? Id, double? DeliveredMs);

    private static async Task<Outcome> OneAsync(Api api, long n, CancellationToken cancellationToken)
    {
        var (id, status) = await api.StartAsync(n, cancellationToken);
        if (id is null)
        {
            return new Outcome($"start_{status}", null, null);
        }

        // The person reads the code once WhatsApp shows it: wait until the sandbox's phone has it and has "read" it
        // (every callback has been sent by then), polling every 100 ms for at most 15 s.
        string? code = null;
        await Task.Delay(250, cancellationToken);
        for (var i = 0; i < 150 && code is null; i++)
        {
            if (await api.LatestMessageAsync(n, cancellationToken) is { Status: "read" } message)
            {
                code = message.Code;
            }
            else
            {
                await Task.Delay(100, cancellationToken);
            }
        }

        if (code is null)
        {
            return new Outcome("not_read_within_15s", id, null);
        }

        var (checkStatus, body) = await api.CheckAsync(id, code, cancellationToken);
        using (body)
        {
            // The answer's timeline may already hold the delivery; otherwise it is read once after the run.
            return checkStatus == 200 ? new Outcome(null, id, Delivered(body.RootElement)) : new Outcome($"check_{checkStatus}", id, null);
        }
    }

    private static double? Delivered(JsonElement verification)
    {
        var created = verification.GetProperty("createdAt").GetDateTimeOffset();
        foreach (var entry in verification.GetProperty("timeline").EnumerateArray())
        {
            if (entry.GetProperty("kind").GetString() == "delivery" && entry.GetProperty("status").GetString() == "delivered")
            {
                return (entry.GetProperty("at").GetDateTimeOffset() - created).TotalMilliseconds;
            }
        }

        return null;
    }

    private static double Percentile(IEnumerable<double> values, int percentile)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1)];
    }
}
