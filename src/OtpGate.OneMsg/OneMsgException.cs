using System.Net;

namespace OtpGate.OneMsg;

/// <summary>
/// A 1MSG call other than <c>sendTemplate</c> failed: 1MSG answered with an error status, did not answer in
/// time, could not be reached, or answered something unreadable. Modelled on <c>NpgsqlException</c>: one type,
/// carrying the HTTP status and (truncated) body, and <see cref="IsTransient"/> to say whether trying again
/// later may help. The message is plain words and never contains the channel token.
/// </summary>
public sealed class OneMsgException : Exception
{
    /// <summary>How much of a response body is kept in <see cref="ResponseBody"/>.</summary>
    public const int MaxResponseBodyLength = 2048;

    /// <summary>Creates an exception with a default message.</summary>
    public OneMsgException()
        : base("A call to the 1MSG API failed.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public OneMsgException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    public OneMsgException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception describing a failed call.</summary>
    /// <param name="message">A plain-words sentence, already free of secrets.</param>
    /// <param name="operation">The call, for example <c>GET templates</c>.</param>
    /// <param name="statusCode">The HTTP status, when an answer arrived.</param>
    /// <param name="responseBody">The answer's body, already redacted and truncated.</param>
    /// <param name="isTransient">True when a later attempt may succeed.</param>
    /// <param name="innerException">The transport exception, when there was one.</param>
    public OneMsgException(string message, string? operation, HttpStatusCode? statusCode, string? responseBody, bool isTransient, Exception? innerException = null)
        : base(message, innerException)
    {
        Operation = operation;
        StatusCode = statusCode;
        ResponseBody = responseBody;
        IsTransient = isTransient;
    }

    /// <summary>The call that failed, for example <c>GET templates</c> or <c>POST webhook</c>.</summary>
    public string? Operation { get; }

    /// <summary>The HTTP status 1MSG answered with; null when no answer arrived (timeout, connection failure).</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The response body, redacted and truncated to <see cref="MaxResponseBodyLength"/> characters.</summary>
    public string? ResponseBody { get; }

    /// <summary>
    /// True when trying again later may succeed: 429, 5xx, a timeout, or a network failure. False for
    /// refusals (4xx) and unreadable answers, which need someone to fix something.
    /// </summary>
    public bool IsTransient { get; }

    internal static bool IsTransientStatus(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500;
}
