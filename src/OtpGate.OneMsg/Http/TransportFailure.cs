using System.Net.Http.Headers;
using System.Net.Sockets;
using Polly.Timeout;

namespace OtpGate.OneMsg.Http;

/// <summary>What a transport exception tells us about whether the request reached 1MSG.</summary>
internal static class TransportFailure
{
    /// <summary>
    /// True when the request surely never left this machine: the name did not resolve or the connection was
    /// refused or unreachable. Only these (and 429) are safe to repeat for a send.
    /// </summary>
    public static bool RequestNeverLeft(Exception exception) => exception is HttpRequestException e && (
        e.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError
        || e.InnerException is SocketException
        {
            SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.TryAgain
                or SocketError.NoData or SocketError.HostUnreachable or SocketError.NetworkUnreachable,
        });

    /// <summary>True for a per-attempt timeout (Polly) or the HttpClient's own timeout, but not the caller's cancellation.</summary>
    public static bool IsTimeout(Exception exception, CancellationToken callerToken) =>
        exception is TimeoutRejectedException || (exception is OperationCanceledException && !callerToken.IsCancellationRequested);

    /// <summary>True for the exceptions a transport can raise for one call (the caller's own cancellation excluded).</summary>
    public static bool IsTransportFailure(Exception exception, CancellationToken callerToken) =>
        !callerToken.IsCancellationRequested && exception is HttpRequestException or IOException or TimeoutRejectedException or OperationCanceledException;

    /// <summary><c>Retry-After</c> as a delay from now: seconds, or an HTTP date; never negative.</summary>
    public static TimeSpan? RetryAfter(HttpResponseHeaders headers, DateTimeOffset now) => headers.RetryAfter switch
    {
        { Delta: { } delta } => delta < TimeSpan.Zero ? TimeSpan.Zero : delta,
        { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
        _ => null,
    };
}
