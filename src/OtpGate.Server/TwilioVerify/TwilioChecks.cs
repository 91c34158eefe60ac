using OtpGate.Verification.Contract;
using OtpGate.Verification.Services;
using OtpGate.Verification.Verifications;

namespace OtpGate.Server.TwilioVerify;

/// <summary>
/// <c>POST /v2/Services/{ServiceSid}/VerificationCheck</c>: <c>Code</c> with <c>To</c> (the pending verification of
/// that phone) or <c>VerificationSid</c>. A wrong code is not an error at Twilio: 200 with <c>valid: false</c>.
/// </summary>
internal static class TwilioChecks
{
    public static async Task<IResult> CheckAsync(
        string serviceSid, HttpContext context, ServiceCatalog catalog, VerificationService verifications, CancellationToken cancellationToken)
    {
        var caller = TwilioCaller.From(context)!;
        if (await TwilioServicesEndpoints.VisibleAsync(caller, serviceSid, catalog, cancellationToken) is not { } service)
        {
            return TwilioError.Missing(context);
        }

        var (form, error) = await TwilioForm.ReadAsync(context);
        if (error is not null)
        {
            return error;
        }

        if (form!["Code"] is not { Length: >= 4 and <= 10 } code)
        {
            return TwilioError.Invalid("Code", "It must be the 4 to 10 characters the user received.");
        }

        var owner = TwilioVerificationsEndpoints.Owner(service);
        string? id;
        if (form["VerificationSid"] is { } sid)
        {
            id = TwilioSids.VerificationId(sid);
        }
        else if (form["To"] is { } to)
        {
            // The pending verification, or the latest out of attempts: 60202 whichever way the app checks, as Twilio's page for it says.
            id = await verifications.FindIdToCheckAsync(owner, to, cancellationToken);
        }
        else
        {
            return TwilioError.Invalid("To", "Send either To or VerificationSid.");
        }

        if (id is null)
        {
            return TwilioError.Missing(context);
        }

        var result = await verifications.CheckAsync(owner, id, code, cancellationToken);
        return result.Refusal switch
        {
            null => Answer(result.Verification!, service, caller),
            { Reason: Refusal.WrongCode, Verification: { } checkedOne } => Answer(checkedOne, service, caller),
            // Not a code at all (letters, another length than the service's): a wrong code that costs no attempt.
            { Reason: Refusal.InvalidRequest } => await verifications.GetAsync(owner, id, cancellationToken) is { Status: VerificationStatus.Pending } pending
                ? Answer(pending, service, caller)
                : TwilioError.Missing(context),
            { } refusal => TwilioRefusals.From(refusal, context),
        };
    }

    private static IResult Answer(VerificationSnapshot verification, Service service, TwilioCaller caller) =>
        TwilioResources.Answer(TwilioResources.Check(verification, service, caller.AccountSid));
}
