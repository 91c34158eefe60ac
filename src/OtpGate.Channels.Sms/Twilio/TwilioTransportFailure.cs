using System.Net.Http.Headers;
using System.Net.Sockets;
using Polly.Timeout;

namespace OtpGate.Channels.Sms.Twilio;

/// <summary>What a transport exception says about whether the request reached Twilio.</summary>
internal static class TwilioTransportFailure
{
    /// <summary>The name did not resolve or the connection was refused or unreachable: nothing left this machine.</summary>
    public static bool RequestNeverLeft(Exception exception) => exception is HttpRequestException e && (
        e.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError
        || e.InnerException is SocketException
        {
            SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.TryAgain
                or SocketError.NoData or SocketError.HostUnreachable or SocketError.NetworkUnreachable,
        });

    public static bool IsTransportFailure(Exception exception, CancellationToken callerToken) =>
        !callerToken.IsCancellationRequested && exception is HttpRequestException or IOException or TimeoutRejectedException or OperationCanceledException;

    public static (TwilioTransport Transport, string Words) Classify(Exception exception, CancellationToken callerToken)
    {
        if (RequestNeverLeft(exception))
        {
            return (TwilioTransport.NeverLeft, "Could not connect to Twilio");
        }

        // A failed TLS handshake sends no request either.
        if (exception is HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError })
        {
            return (TwilioTransport.NeverLeft, "The TLS handshake with Twilio failed");
        }

        return exception is TimeoutRejectedException || (exception is OperationCanceledException && !callerToken.IsCancellationRequested)
            ? (TwilioTransport.TimedOut, "Twilio did not answer in time")
            : (TwilioTransport.BrokeAfterSending, "The connection to Twilio failed after the request was sent");
    }

    /// <summary><c>Retry-After</c> as a delay from now (seconds or an HTTP date), never negative.</summary>
    public static TimeSpan? RetryAfter(HttpResponseHeaders headers, DateTimeOffset now) => headers.RetryAfter switch
    {
        { Delta: { } delta } => delta < TimeSpan.Zero ? TimeSpan.Zero : delta,
        { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
        _ => null,
    };
}
