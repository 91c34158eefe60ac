using Microsoft.Extensions.Logging;

namespace OtpGate.Server.Logging;

/// <summary>Wraps the host's logger factory so that every logger redacts what URLs carry (see <see cref="LogRedaction"/>).</summary>
internal sealed class RedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();
}

internal sealed class RedactingLogger(ILogger inner) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!inner.IsEnabled(logLevel))
        {
            return;
        }

        var message = formatter(state, exception);
        var exceptionText = exception?.ToString();
        if (!LogRedaction.NeedsRedaction(message) && !LogRedaction.NeedsRedaction(exceptionText) && !RedactedLogState.Needs(state))
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
            return;
        }

        // The exception's own text may carry the URL (e.g. an HttpRequestException); it is replaced by its redacted text.
        var safeException = LogRedaction.NeedsRedaction(exceptionText) ? new RedactedException(LogRedaction.Redact(exceptionText!)) : exception;
        inner.Log(logLevel, eventId, RedactedLogState.From(state, LogRedaction.Redact(message)), safeException, static (s, _) => s.Message);
    }
}

/// <summary>Stands in for an exception whose text had to be redacted.</summary>
internal sealed class RedactedException(string text) : Exception(text)
{
    public override string ToString() => Message;
}

/// <summary>A copy of a structured log state with every value redacted.</summary>
internal sealed class RedactedLogState(IReadOnlyList<KeyValuePair<string, object?>> values, string message) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public string Message { get; } = message;

    public KeyValuePair<string, object?> this[int index] => values[index];

    public int Count => values.Count;

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => Message;

    public static bool Needs<TState>(TState state) =>
        state is IEnumerable<KeyValuePair<string, object?>> pairs && pairs.Any(p => LogRedaction.NeedsRedaction(p.Value as string
            ?? (p.Value is Uri or Microsoft.AspNetCore.Http.PathString or Microsoft.AspNetCore.Http.QueryString ? p.Value.ToString() : null)));

    public static RedactedLogState From<TState>(TState state, string message) =>
        new(state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? [.. pairs.Select(p => new KeyValuePair<string, object?>(p.Key, p.Key == "{OriginalFormat}" ? p.Value : LogRedaction.RedactValue(p.Value)))]
            : [new("{OriginalFormat}", message)], message);

    /// <summary>A scope object with its values redacted, or the scope itself when nothing needs it.</summary>
    public static object? RedactScope(object? scope) => scope switch
    {
        string s => LogRedaction.Redact(s),
        IEnumerable<KeyValuePair<string, object?>> pairs when Needs(pairs) || LogRedaction.NeedsRedaction(scope.ToString()) =>
            From(pairs, LogRedaction.Redact(scope.ToString() ?? "")),
        _ when LogRedaction.NeedsRedaction(scope?.ToString()) => LogRedaction.Redact(scope!.ToString()!),
        _ => scope,
    };
}

/// <summary>Scopes (ASP.NET Core puts the request path in one) are redacted when a provider reads them.</summary>
internal sealed class RedactingScopeProvider(IExternalScopeProvider inner) : IExternalScopeProvider
{
    public void ForEachScope<TState>(Action<object?, TState> callback, TState state) =>
        inner.ForEachScope((scope, s) => callback(RedactedLogState.RedactScope(scope), s), state);

    public IDisposable Push(object? state) => inner.Push(state);
}
