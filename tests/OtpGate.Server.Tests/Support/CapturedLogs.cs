using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OtpGate.Server.Tests.Support;

/// <summary>Every log entry, with its structured values, scopes and exception, as text: what any sink could write.</summary>
public sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<Entry> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public sealed record Entry(string Category, LogLevel Level, string Text);

    public IReadOnlyList<Entry> Entries => [.. _entries];

    /// <summary>Waits until an entry matches (the server logs from its own threads, on its own time); fails after <paramref name="seconds"/>.</summary>
    public async Task WaitForAsync(Func<Entry, bool> match, string what, int seconds = 15)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!_entries.Any(match))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(seconds), $"Nothing was logged in {seconds} s that shows {what}.");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new System.Text.StringBuilder(formatter(state, exception));
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var pair in pairs)
                {
                    text.Append(" | ").Append(pair.Key).Append('=').Append(pair.Value);
                }
            }

            owner._scopes.ForEachScope((scope, sb) =>
            {
                sb.Append(" | scope: ").Append(scope);
                if (scope is IEnumerable<KeyValuePair<string, object?>> values)
                {
                    foreach (var pair in values)
                    {
                        sb.Append(' ').Append(pair.Key).Append('=').Append(pair.Value);
                    }
                }
            }, text);
            if (exception is not null)
            {
                text.Append(" | exception: ").Append(exception);
            }

            owner._entries.Enqueue(new Entry(category, logLevel, text.ToString()));
        }
    }
}
