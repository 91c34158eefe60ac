using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OtpGate.Server.Tests.Support;

/// <summary>
/// API clients starting verifications in a loop against a real server, a new phone each time. Every answer is kept
/// with its place in the send order, so a test compares it with <see cref="Mark"/>s taken when a fault began and ended.
/// </summary>
public sealed class StartLoad : IAsyncDisposable, IDisposable
{
    private readonly ConcurrentQueue<Answer> _answers = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _workers;
    private long _order;
    private int _phone;

    private StartLoad(ServerFactory server, int workers) =>
        _workers = [.. Enumerable.Range(0, workers).Select(_ => Task.Run(() => WorkAsync(server)))];

    /// <summary>One start's answer; <paramref name="Order"/> is its place in the send order.</summary>
    public sealed record Answer(long Order, HttpStatusCode Status, string? Id, string? Code, string? RetryAfter, string Body);

    public IReadOnlyList<Answer> Answers => [.. _answers.OrderBy(a => a.Order)];

    public static StartLoad Run(ServerFactory server, int workers = 3) => new(server, workers);

    /// <summary>A point in the send order: answers with a greater <see cref="Answer.Order"/> were sent after it.</summary>
    public long Mark() => Interlocked.Increment(ref _order);

    /// <summary>Waits until an answer sent after <paramref name="mark"/> satisfies <paramref name="condition"/>.</summary>
    public async Task<Answer> WaitForAsync(long mark, Func<Answer, bool> condition, TimeSpan within)
    {
        var deadline = TimeProvider.System.GetUtcNow() + within;
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            if (_answers.Where(a => a.Order > mark).OrderBy(a => a.Order).FirstOrDefault(condition) is { } answer)
            {
                return answer;
            }

            Assert.False(_workers.Any(w => w.IsFaulted), "A load client failed: " + _workers.FirstOrDefault(w => w.IsFaulted)?.Exception);
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException($"No such answer within {within.TotalSeconds} s; answers after the mark: "
            + string.Join(", ", _answers.Where(a => a.Order > mark).GroupBy(a => a.Status).Select(g => $"{(int)g.Key} ×{g.Count()}")));
    }

    /// <summary>Stops the clients (again: a no-op).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
    }

    public void Dispose() => _stop.Dispose();

    private async Task WorkAsync(ServerFactory server)
    {
        using var client = server.Api();
        while (!_stop.IsCancellationRequested)
        {
            var order = Interlocked.Increment(ref _order);
            // 646-401-xxxx: valid US numbers outside the sandbox's reserved 212-555-01xx, each started once.
            var phone = $"+1 646 401 {Interlocked.Increment(ref _phone):D4}";
            try
            {
                using var response = await client.PostAsJsonAsync("/v1/verifications", new { phone }, _stop.Token);
                var body = await response.Content.ReadAsStringAsync(_stop.Token);
                var json = JsonNode.Parse(body) as JsonObject;
                _answers.Enqueue(new Answer(order, response.StatusCode,
                    response.StatusCode == HttpStatusCode.Created ? json?["id"]?.GetValue<string>() : null,
                    response.IsSuccessStatusCode ? null : json?["code"]?.GetValue<string>(),
                    response.Headers.RetryAfter?.ToString(),
                    body));
                // Paced, so that two shared cores still serve readiness and the test's own requests promptly.
                await Task.Delay(10, _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
