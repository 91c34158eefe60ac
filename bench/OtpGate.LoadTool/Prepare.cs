using System.Collections.Concurrent;
using System.Diagnostics;

namespace OtpGate.LoadTool;

/// <summary>
/// Starts <c>--count</c> verifications through the API (phones from <c>--from</c>), and with <c>--sandbox</c> waits for
/// each message in the sandbox and writes "id code messageId" lines for the check and webhook cases.
/// </summary>
internal static class Prepare
{
    public static async Task<int> RunAsync(Args args)
    {
        var from = args.Long("from", 0);
        var count = (int)args.Long("count", 1000);
        var concurrency = (int)args.Long("concurrency", 32);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(args.Long("timeout", 300)));
        using var api = new Api(args.Get("api"), args.Get("key"), args.Optional("sandbox"), concurrency);
        var clock = Stopwatch.StartNew();

        var ids = new string?[count];
        var refused = new ConcurrentDictionary<int, int>();
        await ForEachAsync(count, concurrency, async i =>
        {
            var (id, status) = await api.StartAsync(from + i, deadline.Token);
            ids[i] = id;
            if (id is null)
            {
                refused.AddOrUpdate(status, 1, (_, c) => c + 1);
            }
        }, deadline.Token);
        var started = ids.Count(id => id is not null);
        Console.Error.WriteLine($"prepare: {started} of {count} started in {clock.Elapsed.TotalSeconds:0.0} s ({started / clock.Elapsed.TotalSeconds:0} /s)"
            + (refused.IsEmpty ? "" : "; refused: " + string.Join(", ", refused.Select(r => $"{r.Key}×{r.Value}"))));
        Console.WriteLine($"started={started}");
        if (args.Optional("sandbox") is null)
        {
            return started == count ? 0 : 2;
        }

        // The dispatcher sends at the channel rate: wait for every message, polling each phone at most every 200 ms.
        var lines = new string?[count];
        await ForEachAsync(count, concurrency, async i =>
        {
            if (ids[i] is not { } id)
            {
                return;
            }

            for (var attempt = 0; attempt < 1500 && !deadline.IsCancellationRequested; attempt++)
            {
                if (await api.LatestMessageAsync(from + i, deadline.Token) is { } message)
                {
                    lines[i] = $"{id} {message.Code} {message.MessageId}";
                    return;
                }

                await Task.Delay(200, deadline.Token);
            }
        }, deadline.Token);
        var ready = lines.Where(l => l is not null).ToList();
        await File.WriteAllLinesAsync(args.Get("out"), ready!);
        Console.Error.WriteLine($"prepare: {ready.Count} codes read from the sandbox after {clock.Elapsed.TotalSeconds:0.0} s");
        return ready.Count == count ? 0 : 2;
    }

    /// <summary>Runs <paramref name="body"/> for 0..count-1 with at most <paramref name="concurrency"/> at once.</summary>
    public static Task ForEachAsync(int count, int concurrency, Func<int, Task> body, CancellationToken cancellationToken) =>
        Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (i, _) => await body(i));
}
