using Microsoft.Extensions.Http.Logging;
using Microsoft.Extensions.Logging;

namespace OtpGate.OneMsg.Http;

/// <summary>
/// Replaces the HttpClient factory's default logger for the 1MSG client. The default one redacts header values in
/// its message text (<c>RedactLoggedHeaders</c>) but still hands the raw headers, <c>Authorization: Bearer …</c>
/// included, to logging providers as structured state, where a JSON or OpenTelemetry exporter would write the
/// token out. This one logs method, 1MSG operation, status and duration per attempt, and nothing else.
/// </summary>
internal sealed class OneMsgHttpLogger(ILogger<OneMsgClient> logger) : IHttpClientLogger
{
    public object? LogRequestStart(HttpRequestMessage request) => null;

    public void LogRequestStop(object? context, HttpRequestMessage request, HttpResponseMessage response, TimeSpan elapsed) =>
        OneMsgLog.HttpAttempt(logger, request.Method.Method, Operation(request), (int)response.StatusCode, elapsed.TotalMilliseconds);

    public void LogRequestFailed(object? context, HttpRequestMessage request, HttpResponseMessage? response, Exception exception, TimeSpan elapsed) =>
        OneMsgLog.HttpAttemptFailed(logger, request.Method.Method, Operation(request), elapsed.TotalMilliseconds, exception.GetType().Name, exception.Message);

    // The 1MSG method is the last path segment; the query is left out on purpose.
    private static string Operation(HttpRequestMessage request) =>
        request.RequestUri is { IsAbsoluteUri: true } uri ? uri.Segments[^1] : "";
}
