using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OtpGate.Server.Verifications;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Storage;
using OtpGate.Verification.Verifications;

namespace OtpGate.Server.Api;

/// <summary>
/// RFC 9457 problem details with a stable <c>code</c> extension. Engine refusals map to the statuses of the API
/// (docs/architecture.md, "The HTTP API"); every 429 carries <c>Retry-After</c> in seconds.
/// </summary>
internal static class ApiProblems
{
    public static string Code(Refusal reason) => reason.ToWireName();

    public static int Status(Refusal reason) => reason switch
    {
        Refusal.NotFound => StatusCodes.Status404NotFound,
        Refusal.InvalidRequest or Refusal.InvalidPhone => StatusCodes.Status400BadRequest,
        // 403, not 429, for fraud_suspected: nothing says when it would pass (a Retry-After would help tune an attack).
        Refusal.CountryNotAllowed or Refusal.ServiceNotFound or Refusal.FraudSuspected => StatusCodes.Status403Forbidden,
        Refusal.RateLimited or Refusal.Cooldown or Refusal.SpendCapReached => StatusCodes.Status429TooManyRequests,
        Refusal.WrongCode or Refusal.IdempotencyKeyReused => StatusCodes.Status422UnprocessableEntity,
        Refusal.Expired or Refusal.MaxAttemptsReached or Refusal.Canceled or Refusal.Failed => StatusCodes.Status410Gone,
        Refusal.AlreadyApproved => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status400BadRequest,
    };

    public static string Title(Refusal reason) => reason switch
    {
        Refusal.NotFound => "No such verification",
        Refusal.InvalidRequest => "Invalid request",
        Refusal.InvalidPhone => "Invalid phone number",
        Refusal.CountryNotAllowed => "Country not allowed",
        Refusal.RateLimited => "Rate limited",
        Refusal.Cooldown => "Resend not available yet",
        Refusal.WrongCode => "Wrong code",
        Refusal.Expired => "Verification expired",
        Refusal.MaxAttemptsReached => "Too many wrong codes",
        Refusal.Canceled => "Verification canceled",
        Refusal.AlreadyApproved => "Verification already approved",
        Refusal.Failed => "Code could not be delivered",
        Refusal.IdempotencyKeyReused => "Idempotency key reused",
        Refusal.ServiceNotFound => "Service not found",
        Refusal.ChannelUnavailable => "Channel unavailable",
        Refusal.SpendCapReached => "Spend cap reached",
        Refusal.FraudSuspected => "Verification refused",
        _ => "Refused",
    };

    /// <summary>The default code for a status, for problems that do not come from the engine (binding, 404, 405, 413, 415, 429, 500).</summary>
    public static string CodeForStatus(int status) => status switch
    {
        400 => "invalid_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        406 => "not_acceptable",
        408 => "request_timeout",
        413 => "payload_too_large",
        415 => "unsupported_media_type",
        429 => "rate_limited",
        >= 500 => "internal_error",
        _ => "error",
    };

    /// <summary>
    /// The <c>type</c> of statuses ASP.NET Core has no default for (it fills in the others with their RFC 9110
    /// section): 429 (<c>rate_limited</c>, <c>cooldown</c>, <c>too_many_streams</c>) is defined by RFC 6585.
    /// </summary>
    public static string? TypeForStatus(int status) => status switch
    {
        StatusCodes.Status429TooManyRequests => "https://tools.ietf.org/html/rfc6585#section-4",
        _ => null,
    };

    public static string? DefaultDetail(int status) => status switch
    {
        404 => "Nothing is here; the API is under /v1/verifications (see /docs).",
        405 => "This method is not allowed here; see /docs for the endpoints and their methods.",
        413 => "The request body is larger than this endpoint accepts.",
        415 => "Send the request body as JSON, with Content-Type: application/json.",
        _ => null,
    };

    public static ProblemHttpResult From(Refused refused, HttpContext? context)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = Code(refused.Reason) };
        if (refused.AttemptsLeft is { } attemptsLeft)
        {
            extensions["attemptsLeft"] = attemptsLeft;
        }

        if (refused.RetryAfter is { } wait)
        {
            var seconds = RetryAfterSeconds(wait);
            context?.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            extensions["retryAfter"] = seconds;
        }

        if (refused.Limit is { } limit)
        {
            extensions["limit"] = limit;
        }

        if (refused.Verification is { } verification)
        {
            extensions["verification"] = VerificationResponse.From(verification);
        }

        return TypedResults.Problem(refused.Message, statusCode: Status(refused.Reason), title: Title(refused.Reason), extensions: extensions);
    }

    public static ProblemHttpResult Problem(int status, string code, string detail) =>
        TypedResults.Problem(Details(status, code, detail));

    public static ProblemDetails Details(int status, string code, string detail) => new()
    {
        Status = status,
        Title = ReasonPhrase(status),
        Detail = detail,
        Extensions = { ["code"] = code },
    };

    /// <summary>
    /// 503 <c>storage_unavailable</c> with <c>Retry-After</c>: the database cannot take writes now (a read-only or full
    /// disk, an unreachable server). Nothing was saved; the same request succeeds once the storage is back.
    /// </summary>
    public static ProblemDetails StorageUnavailable(HttpContext context)
    {
        var seconds = RetryAfterSeconds(StorageFault.RetryAfter);
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var details = Details(StatusCodes.Status503ServiceUnavailable, StorageUnavailableCode, StorageUnavailableDetail(seconds));
        details.Extensions["retryAfter"] = seconds;
        return details;
    }

    public const string StorageUnavailableCode = "storage_unavailable";

    /// <summary>How long a caller is told to wait when every database connection was busy: a spike passes in moments.</summary>
    public static readonly TimeSpan OverloadedRetryAfter = TimeSpan.FromSeconds(1);

    public const string OverloadedCode = "overloaded";

    public const string OverloadedDetail = "The server is busy: every database connection is in use. Nothing was saved; try again in 1 second.";

    /// <summary>
    /// 503 <c>overloaded</c> with <c>Retry-After: 1</c>: the request waited for a pooled database connection and none
    /// came free in time. The storage is fine (readiness stays up); nothing was saved.
    /// </summary>
    public static ProblemDetails Overloaded(HttpContext context)
    {
        var seconds = RetryAfterSeconds(OverloadedRetryAfter);
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var details = Details(StatusCodes.Status503ServiceUnavailable, OverloadedCode, OverloadedDetail);
        details.Extensions["retryAfter"] = seconds;
        return details;
    }

    public static string StorageUnavailableDetail(int seconds) => $"The server cannot save right now; try again in {seconds} seconds.";

    public static int RetryAfterSeconds(TimeSpan wait) => (int)Math.Max(1, Math.Ceiling(wait.TotalSeconds));

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error";
}
