using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using OtpGate.Server.Hosting;
using OtpGate.Verification.Storage;

namespace OtpGate.Server.Api;

/// <summary>
/// Turns what escapes an endpoint into a problem detail: unreadable bodies (malformed JSON, unknown fields, wrong types,
/// wrong content type, too large) become 4xx with a sentence saying what to fix; a storage that cannot take writes a
/// 503 with <c>Retry-After</c>; anything else a 500 with no internals.
/// </summary>
internal sealed partial class ApiExceptionHandler(IProblemDetailsService problems, Database database, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var twilio = httpContext.Request.Path.StartsWithSegments("/v2", StringComparison.OrdinalIgnoreCase);
        if (database.ReportFailure(exception))
        {
            var overloaded = StorageFault.IsOverloaded(exception);
            if (twilio)
            {
                // Twilio's libraries read only Twilio's error body: the same answer in its shape.
                var wait = overloaded ? ApiProblems.OverloadedRetryAfter : StorageFault.RetryAfter;
                var message = overloaded ? ApiProblems.OverloadedDetail : ApiProblems.StorageUnavailableDetail(ApiProblems.RetryAfterSeconds(wait));
                await TwilioVerify.TwilioError.Unavailable(message, wait).ExecuteAsync(httpContext);
                return true;
            }

            // Logged once per fault by the database, not here once per request: under load that was thousands of stack traces.
            httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            var details = overloaded ? ApiProblems.Overloaded(httpContext) : ApiProblems.StorageUnavailable(httpContext);
            return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = details });
        }

        var (status, code, detail) = exception switch
        {
            BadHttpRequestException { StatusCode: 413 } => (413, "payload_too_large", "The request body is larger than this endpoint accepts."),
            BadHttpRequestException { StatusCode: 415 } => (415, "unsupported_media_type", "Send the request body as JSON, with Content-Type: application/json."),
            BadHttpRequestException { InnerException: JsonException json } => (400, "invalid_request", Describe(json)),
            BadHttpRequestException bad when bad.Message.Contains("was not provided", StringComparison.Ordinal) =>
                (400, "invalid_request", "The request needs a JSON body, e.g. {\"phone\": \"+1 212 555 0100\"}."),
            BadHttpRequestException bad => (bad.StatusCode, ApiProblems.CodeForStatus(bad.StatusCode), "The request could not be read; check its body, headers and parameters."),
            _ => (500, "internal_error", "Something went wrong on the server. The error was logged; try again later."),
        };

        if (status >= 500)
        {
            ServerLog.Unhandled(logger, exception, httpContext.Request.Method, httpContext.GetEndpoint()?.DisplayName);
        }

        if (twilio)
        {
            await new TwilioVerify.TwilioError(status >= 500 ? 20500 : TwilioVerify.TwilioError.InvalidParameter, status, detail).ExecuteAsync(httpContext);
            return true;
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = ApiProblems.Details(status, code, detail),
        });
    }

    private static string Describe(JsonException json)
    {
        if (json.Message.StartsWith("The JSON property", StringComparison.Ordinal) && QuotedName().Match(json.Message) is { Success: true } name)
        {
            return $"The request body has a field this endpoint does not know: \"{name.Groups[1].Value}\". Remove it (field names are case-sensitive camelCase).";
        }

        var where = string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "" : $" at {json.Path}";
        return json.LineNumber is { } line
            ? $"The request body is not valid JSON, or a field has the wrong type{where} (line {line + 1}, byte {json.BytePositionInLine + 1})."
            : $"The request body is not valid JSON, or a field has the wrong type{where}.";
    }

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex QuotedName();
}
