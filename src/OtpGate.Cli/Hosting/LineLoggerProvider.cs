using Microsoft.Extensions.Logging;

namespace OtpGate.Cli.Hosting;

/// <summary>
/// Logs of a hosted app as one short line each on the command's own writer (not <see cref="Console"/>, so a test's
/// captured output gets them): OtpGate's information and above, everything else from warnings up.
/// </summary>
internal sealed class LineLoggerProvider(TextWriter writer) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new LineLogger(writer, categoryName);

    public void Dispose()
    {
    }

    private sealed class LineLogger(TextWriter writer, string category) : ILogger
    {
        private readonly LogLevel _minimum = category.StartsWith("OtpGate", StringComparison.Ordinal) ? LogLevel.Information : LogLevel.Warning;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= _minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var level = logLevel switch { LogLevel.Information => "info", LogLevel.Warning => "warn", LogLevel.Error => "error", LogLevel.Critical => "crit", _ => "debug" };
            var error = exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})";
            lock (writer)
            {
                writer.WriteLine($"{level}: {formatter(state, exception)}{error}");
            }
        }
    }
}
