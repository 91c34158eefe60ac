using System.Globalization;
using System.Text.Json.Nodes;

namespace OtpGate.Server.TwilioVerify;

/// <summary>
/// Twilio's error body, <c>{code, message, more_info, status}</c>, as an endpoint result. Twilio's libraries read
/// <c>code</c> and <c>message</c> into their exception (C#: <c>ApiException.Code</c>), and link <c>more_info</c>, so it
/// points at Twilio's page for the code. A 429 carries <c>Retry-After</c> in seconds, as the rest of OtpGate's API.
/// </summary>
internal sealed class TwilioError(int code, int status, string message, TimeSpan? retryAfter = null) : IResult
{
    public const int Authenticate = 20003;
    public const int NotFound = 20404;
    public const int Forbidden = 20403;
    public const int TooManyRequests = 20429;
    public const int ServiceUnavailable = 20503;
    public const int InvalidParameter = 60200;
    public const int MaxCheckAttempts = 60202;
    public const int MaxSendAttempts = 60203;
    public const int CustomCodeNotAllowed = 60204;
    public const int ChannelDisabled = 60223;
    public const int CountryBlocked = 60605;
    public const int FraudBlocked = 60410;

    public int Code => code;

    public int Status => status;

    public string Message => message;

    public static TwilioError Invalid(string parameter, string? why = null) =>
        new(InvalidParameter, StatusCodes.Status400BadRequest, why is null ? $"Invalid parameter: {parameter}" : $"Invalid parameter: {parameter}. {why}");

    /// <summary>20404 with Twilio's sentence, naming the path asked for (under <c>/v2</c>, as Twilio's does).</summary>
    public static TwilioError Missing(HttpContext context) =>
        new(NotFound, StatusCodes.Status404NotFound, $"The requested resource {Resource(context)} was not found");

    /// <summary>The database cannot take writes now: 503 with Retry-After, in Twilio's shape.</summary>
    public static TwilioError Unavailable(string message, TimeSpan retryAfter) => new(ServiceUnavailable, StatusCodes.Status503ServiceUnavailable, message, retryAfter);

    public static TwilioError Unauthenticated() => new(Authenticate, StatusCodes.Status401Unauthorized, "Authenticate");

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = status;
        if (retryAfter is { } wait)
        {
            httpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        if (status == StatusCodes.Status401Unauthorized)
        {
            httpContext.Response.Headers.WWWAuthenticate = "Basic realm=\"OtpGate Twilio Verify\"";
        }

        httpContext.Response.ContentType = "application/json";
        var body = new JsonObject { ["code"] = code, ["message"] = message, ["more_info"] = $"https://www.twilio.com/docs/errors/{code}", ["status"] = status };
        return httpContext.Response.WriteAsync(body.ToJsonString(TwilioResources.Json), httpContext.RequestAborted);
    }

    // The path after /v2, with nothing the client sent in the query: Twilio names "/Services/VA…/Verifications/VE…".
    private static string Resource(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        path = path.StartsWith("/v2", StringComparison.OrdinalIgnoreCase) ? path[3..] : path;
        return path.Length > 200 ? path[..200] + "…" : path;
    }
}
