using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace OtpGate.Sandbox.Sms;

/// <summary>
/// Twilio's REST error body (<c>code</c>, <c>message</c>, <c>more_info</c>, <c>status</c>) for the errors the stand-in
/// plays. Messages do not repeat the phone number, as Twilio's do: the sandbox keeps full numbers out of answers.
/// </summary>
internal static class TwilioErrors
{
    public static IResult Authenticate() => Error(401, 20003, "Authenticate");

    public static IResult InvalidTo() => Error(400, 21211, "The 'To' number is not a valid phone number.");

    public static IResult NotMobile() => Error(400, 21614, "'To' number is not a valid mobile number");

    public static IResult FromRequired() => Error(400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message");

    public static IResult BodyRequired() => Error(400, 21602, "Message body is required.");

    public static IResult FromNotOnAccount() => Error(400, 21659, "'From' is not a Twilio phone number or Short Code country mismatch");

    public static IResult MessagingServiceNotFound() => Error(400, 21701, "The Messaging Service does not exist");

    public static IResult NotFound(string resource) => Error(404, 20404, $"The requested resource {resource} was not found");

    public static IResult TooManyRequests() => Error(429, 20429, "Too Many Requests");

    public static IResult InternalError() => Error(500, 20500, "Internal Server Error");

    private static IResult Error(int status, int code, string message) => Results.Json(
        new JsonObject
        {
            ["code"] = code,
            ["message"] = message,
            ["more_info"] = $"https://www.twilio.com/docs/errors/{code}",
            ["status"] = status,
        },
        statusCode: status);
}
