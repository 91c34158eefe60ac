using OtpGate.Verification.Limits;
using OtpGate.Verification.Verifications;

namespace OtpGate.Server.TwilioVerify;

/// <summary>The engine's refusals in Twilio's codes (docs/twilio-verify.md lists each).</summary>
internal static class TwilioRefusals
{
    public static TwilioError From(Refused refusal, HttpContext context) => refusal.Reason switch
    {
        Refusal.InvalidPhone => TwilioError.Invalid("To", "It is not a valid phone number in E.164 form, e.g. +15017122661."),
        Refusal.CountryNotAllowed => new TwilioError(TwilioError.CountryBlocked, StatusCodes.Status403Forbidden,
            "Verification delivery attempt blocked: codes are not sent to numbers of this country."),
        // Twilio's Fraud Guard answers 60410 for a blocked prefix; the sentence stays as generic as /v1's.
        Refusal.FraudSuspected => new TwilioError(TwilioError.FraudBlocked, StatusCodes.Status403Forbidden,
            "Verification delivery attempt blocked: " + refusal.Message),
        Refusal.RateLimited => Limited(refusal),
        // A spend cap is the account's budget, not this phone's sends: Twilio's "too many requests" (20429, which its
        // libraries treat as safe to retry later), as the daily message budget is, never 60203 ("max send attempts" to
        // this number), which would send an app to check or cancel the verification.
        Refusal.SpendCapReached => new TwilioError(TwilioError.TooManyRequests, StatusCodes.Status429TooManyRequests,
            "Too many requests: " + refusal.Message, refusal.RetryAfter),
        Refusal.Cooldown => Cooldown(refusal),
        // Twilio deletes a verification once it is approved, canceled, expired or fails: it is then not found.
        Refusal.NotFound or Refusal.Expired or Refusal.Canceled or Refusal.AlreadyApproved or Refusal.Failed => TwilioError.Missing(context),
        Refusal.MaxAttemptsReached => new TwilioError(TwilioError.MaxCheckAttempts, StatusCodes.Status429TooManyRequests,
            "Max check attempts reached: too many wrong codes were entered; start a new verification."),
        // The service was deleted after the request found it (or its account outlived it): the service is what is missing.
        Refusal.ServiceNotFound => context.Request.RouteValues["serviceSid"] is string serviceSid
            ? new TwilioError(TwilioError.NotFound, StatusCodes.Status404NotFound, $"The requested resource /Services/{serviceSid} was not found")
            : TwilioError.Missing(context),
        // Checks answer a wrong code themselves (200, valid false); /v2 takes no Idempotency-Key. Named so a new refusal is a decision.
        Refusal.WrongCode => TwilioError.Invalid("Code", refusal.Message),
        Refusal.InvalidRequest or Refusal.IdempotencyKeyReused => Invalid(refusal),
        // The endpoint checks the channel first; should the engine still find SMS unavailable, it is Twilio's "channel disabled".
        Refusal.ChannelUnavailable => new TwilioError(TwilioError.ChannelDisabled, StatusCodes.Status400BadRequest, "Delivery channel disabled: " + refusal.Message),
        _ => Invalid(refusal),
    };

    private static TwilioError Invalid(Refused refusal) => new(TwilioError.InvalidParameter, StatusCodes.Status400BadRequest, "Invalid parameter: " + refusal.Message);

    /// <summary>
    /// A repeat start inside the verification's resend cooldown sends nothing: said as Twilio's "too many requests",
    /// with when the next code can go, rather than a 201 that an app's "resend" button would take for a sent code.
    /// </summary>
    private static TwilioError Cooldown(Refused refusal)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(refusal.RetryAfter.GetValueOrDefault(TimeSpan.FromSeconds(1)).TotalSeconds));
        return new TwilioError(TwilioError.TooManyRequests, StatusCodes.Status429TooManyRequests,
            $"Too many requests: a code was just sent to this number; a new one can be sent in {seconds} seconds.", TimeSpan.FromSeconds(seconds));
    }

    /// <summary>
    /// Sends refused by a limit are Twilio's "max send attempts" (60203); too many wrong codes for the phone its
    /// "max check attempts" (60202); the others (starts per address, the daily budget, the delay between wrong codes)
    /// its plain "too many requests" (20429). Each keeps the engine's sentence and Retry-After.
    /// </summary>
    private static TwilioError Limited(Refused refusal)
    {
        var code = refusal.Limit switch
        {
            LimitNames.PhoneSends10Minutes or LimitNames.PhoneSendsDay or LimitNames.VerificationSends => TwilioError.MaxSendAttempts,
            LimitNames.PhoneFailedChecks => TwilioError.MaxCheckAttempts,
            _ => TwilioError.TooManyRequests,
        };
        var title = code switch
        {
            TwilioError.MaxSendAttempts => "Max send attempts reached",
            TwilioError.MaxCheckAttempts => "Max check attempts reached",
            _ => "Too many requests",
        };
        return new TwilioError(code, StatusCodes.Status429TooManyRequests, $"{title}: {refusal.Message}", refusal.RetryAfter);
    }
}
