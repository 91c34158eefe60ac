using System.Net;
using System.Net.Sockets;
using Polly;
using Polly.Timeout;
using OtpGate.OneMsg.Http;
using OtpGate.OneMsg.Sending;

namespace OtpGate.OneMsg.Tests.Http;

/// <summary>
/// Failures a loopback server cannot produce on demand (DNS, TLS, a connection dropped mid-answer), checked on
/// the exceptions .NET raises for them.
/// </summary>
public sealed class TransportFailureTests
{
    private static readonly OneMsgOptions Options = new() { MaxRetryDelay = TimeSpan.FromSeconds(30) };

    public static readonly TheoryData<string, SendFailureKind> Failures = new()
    {
        { "dns", SendFailureKind.Transient },
        { "refused", SendFailureKind.Transient },
        { "socket-refused", SendFailureKind.Transient },
        { "tls", SendFailureKind.Transient },
        { "response-ended", SendFailureKind.Ambiguous },
        { "io", SendFailureKind.Ambiguous },
        { "timeout", SendFailureKind.Ambiguous },
    };

    private static Exception Make(string name) => name switch
    {
        "dns" => new HttpRequestException(HttpRequestError.NameResolutionError, "Name or service not known (api.1msg.invalid:443)"),
        "refused" => new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:5080)"),
        "socket-refused" => new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused)),
        "tls" => new HttpRequestException(HttpRequestError.SecureConnectionError, "The SSL connection could not be established"),
        "response-ended" => new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely"),
        "io" => new HttpIOException(HttpRequestError.ResponseEnded, "Received an unexpected EOF"),
        _ => new TimeoutRejectedException(),
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Send_failures_are_transient_only_when_the_request_never_left(string failure, SendFailureKind expected)
    {
        var result = SendOutcomeClassifier.FromException(Make(failure), TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.Equal(expected, result.Kind);
        Assert.Null(result.HttpStatus);
    }

    [Theory]
    [InlineData("dns", "POST", true)]
    [InlineData("refused", "POST", true)]
    [InlineData("tls", "POST", false)]
    [InlineData("response-ended", "POST", false)]
    [InlineData("response-ended", "GET", true)]
    [InlineData("timeout", "POST", false)]
    [InlineData("timeout", "GET", true)]
    public void Only_requests_that_never_left_are_repeated_for_a_post(string failure, string method, bool retried)
    {
        Assert.Equal(retried, ShouldRetry(Outcome.FromException<HttpResponseMessage>(Make(failure)), method));
    }

    [Theory]
    [InlineData(429, "POST", null, true)]
    [InlineData(429, "POST", 10, true)]
    [InlineData(429, "POST", 600, false)]
    [InlineData(500, "POST", null, false)]
    [InlineData(503, "GET", null, true)]
    [InlineData(400, "GET", null, false)]
    [InlineData(200, "GET", null, false)]
    public void Answers_are_repeated_for_429_and_for_a_get_5xx(int status, string method, int? retryAfterSeconds, bool retried)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status);
        if (retryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
        }

        Assert.Equal(retried, ShouldRetry(Outcome.FromResult(response), method));
    }

    [Fact]
    public void Backoff_grows_with_jitter_and_is_capped()
    {
        var options = new OneMsgOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(100), MaxRetryDelay = TimeSpan.FromMilliseconds(700) };
        var none = Outcome.FromResult<HttpResponseMessage>(new HttpResponseMessage(HttpStatusCode.TooManyRequests));

        var delays = Enumerable.Range(0, 200).Select(_ => OneMsgResilience.Delay(1, none, options, TimeProvider.System)).ToList();

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)));
        Assert.True(delays.Distinct().Count() > 10, "jitter spreads the delays");
        Assert.Equal(TimeSpan.FromMilliseconds(700), OneMsgResilience.Delay(10, none, options, TimeProvider.System));
    }

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, string method)
    {
        var context = ResilienceContextPool.Shared.Get();
        try
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), "http://127.0.0.1/sandbox/1/sendTemplate");
            context.SetRequestMessage(request);
            return OneMsgResilience.ShouldRetry(outcome, context, Options, TimeProvider.System);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
