using Microsoft.Extensions.Http.Logging;
using Microsoft.Extensions.Logging;

namespace OtpGate.Channels.Sms.Twilio;

/// <summary>
/// Replaces the HttpClient factory's logger for the Twilio client: that one hands the raw headers (the Basic
/// credentials) and the URL (a number looked up in its query) to logging providers. This one logs the method, the
/// resource (the path's last segment, no query), the status and the time, and nothing else.
/// </summary>
internal sealed class TwilioHttpLogger(ILogger<TwilioMessagingClient> logger) : IHttpClientLogger
{
    public object? LogRequestStart(HttpRequestMessage request) => null;

    public void LogRequestStop(object? context, HttpRequestMessage request, HttpResponseMessage response, TimeSpan elapsed)
    {
        var resource = Resource(request);
        SmsLog.HttpAttempt(logger, request.Method.Method, resource, (int)response.StatusCode, elapsed.TotalMilliseconds);
    }

    public void LogRequestFailed(object? context, HttpRequestMessage request, HttpResponseMessage? response, Exception exception, TimeSpan elapsed)
    {
        var (resource, error) = (Resource(request), exception.GetType().Name);
        SmsLog.HttpAttemptFailed(logger, request.Method.Method, resource, elapsed.TotalMilliseconds, error);
    }

    // "Messages.json", "IncomingPhoneNumbers.json"; a message's sid is not secret, but the query may hold a number.
    private static string Resource(HttpRequestMessage request) =>
        request.RequestUri is { IsAbsoluteUri: true } uri ? uri.Segments[^1] : "";

}
