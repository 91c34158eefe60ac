using System.Net;
using System.Text.RegularExpressions;
using OtpGate.Verification.Channels;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Services;
using OtpGate.Verification.Verifications;

namespace OtpGate.Server.TwilioVerify;

/// <summary>
/// <c>/v2/Services/{ServiceSid}/Verifications</c> and <c>/VerificationCheck</c> over OtpGate's engine, with Twilio's
/// semantics where they differ from <c>/v1</c> (docs/twilio-verify.md has the table): a repeat start resends the
/// pending verification's code (inside its resend cooldown it says so with 20429 rather than claim a send), a wrong code
/// is a 200 with <c>valid: false</c>, an ended verification is not found.
/// Verifications started here belong to the owner <c>twilio</c> of their service: every Twilio credential of the
/// service (and every admin account) sees them, <c>/v1</c> keys do not.
/// </summary>
internal static partial class TwilioVerificationsEndpoints
{
    private static readonly string[] Unsupported = ["call", "email", "sna", "auto"];

    public static void Map(RouteGroupBuilder v2)
    {
        v2.MapPost("/Services/{serviceSid}/Verifications", StartAsync);
        v2.MapGet("/Services/{serviceSid}/Verifications/{sid}", FetchAsync);
        v2.MapPost("/Services/{serviceSid}/Verifications/{sid}", UpdateAsync);
        v2.MapPost("/Services/{serviceSid}/VerificationCheck", TwilioChecks.CheckAsync);
    }

    /// <summary>The owner of every verification started through <c>/v2</c> in a service.</summary>
    public static VerificationOwner Owner(Service service) => new("twilio", service.Id);

    private static async Task<IResult> StartAsync(
        string serviceSid, HttpContext context, ServiceCatalog catalog, VerificationService verifications, CodeChannels channels, CancellationToken cancellationToken)
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

        if (ReadStart(form!, service, channels.HasSms) is { } invalid)
        {
            return invalid;
        }

        // Twilio's locales are "pt-BR"; WhatsApp's template languages, and so OtpGate's, are "pt_BR".
        var request = new StartRequest(form!["To"], Locale: form["Locale"]?.Replace('-', '_'), ClientIp: form["DeviceIp"], CustomCode: form["CustomCode"], RefuseUnsentRepeat: true,
            Channel: form["Channel"]);
        var result = await verifications.StartAsync(Owner(service), request, cancellationToken);
        return result.Refusal is { } refusal
            ? TwilioRefusals.From(refusal, context)
            : TwilioResources.Answer(TwilioResources.Verification(result.Verification!, service, caller.AccountSid, TwilioResources.Base(context)), StatusCodes.Status201Created);
    }

    /// <summary>The start's parameters checked before the engine is asked: the error naming the first wrong one, or null.</summary>
    private static TwilioError? ReadStart(TwilioForm form, Service service, bool smsConfigured)
    {
        if (form["To"] is not { } to || !to.TrimStart().StartsWith('+'))
        {
            // Twilio takes E.164 only: "+" and the country code. An email address (its email channel) is not a phone either.
            return TwilioError.Invalid("To", "Send the phone number in E.164 form, e.g. +15017122661.");
        }

        if (Channel(form["Channel"], smsConfigured) is { } channel)
        {
            return channel;
        }

        if (form["CustomCode"] is { } code)
        {
            if (!service.Settings.CustomCodeEnabled)
            {
                return new TwilioError(TwilioError.CustomCodeNotAllowed, StatusCodes.Status403Forbidden,
                    "Custom code not allowed: this service does not take custom codes; update it with CustomCodeEnabled=true first.");
            }

            if (code.Length != service.Settings.CodeLength || !code.All(char.IsAsciiDigit))
            {
                return TwilioError.Invalid("CustomCode", $"It must be {service.Settings.CodeLength} digits, the service's CodeLength.");
            }
        }

        if (form["Locale"] is { } locale && !LocalePattern().IsMatch(locale))
        {
            return TwilioError.Invalid("Locale", "It must be a language code such as en or pt-BR.");
        }

        return form["DeviceIp"] is { } ip && !IPAddress.TryParse(ip, out _)
            ? TwilioError.Invalid("DeviceIp", "It must be an IPv4 or IPv6 address.")
            : null;
    }

    /// <summary>
    /// WhatsApp, SMS when an SMS channel is configured, or the error for the channel asked: SMS without one, Twilio's
    /// other channels never, anything else not a channel.
    /// </summary>
    private static TwilioError? Channel(string? channel, bool smsConfigured) => channel switch
    {
        TwilioResources.WhatsApp => null,
        CodeChannels.SmsName when smsConfigured => null,
        CodeChannels.SmsName => new TwilioError(TwilioError.ChannelDisabled, StatusCodes.Status400BadRequest,
            "Delivery channel disabled: SMS is not configured on this OtpGate (Sms:Twilio); send Channel=whatsapp."),
        _ when Unsupported.Contains(channel) => new TwilioError(TwilioError.ChannelDisabled, StatusCodes.Status400BadRequest,
            $"Delivery channel disabled: OtpGate sends codes on WhatsApp, not by {channel}; send Channel=whatsapp."),
        null => TwilioError.Invalid("Channel", "Send Channel=whatsapp (or sms)."),
        _ => TwilioError.Invalid("Channel", "OtpGate sends codes on whatsapp or sms."),
    };

    private static async Task<IResult> FetchAsync(
        string serviceSid, string sid, HttpContext context, ServiceCatalog catalog, VerificationService verifications, CancellationToken cancellationToken)
    {
        var caller = TwilioCaller.From(context)!;
        if (await TwilioServicesEndpoints.VisibleAsync(caller, serviceSid, catalog, cancellationToken) is not { } service
            || TwilioSids.VerificationId(sid) is not { } id
            || await verifications.GetAsync(Owner(service), id, cancellationToken) is not { } verification
            || !IsShown(verification.Status))
        {
            return TwilioError.Missing(context);
        }

        return TwilioResources.Answer(TwilioResources.Verification(verification, service, caller.AccountSid, TwilioResources.Base(context)));
    }

    private static async Task<IResult> UpdateAsync(
        string serviceSid, string sid, HttpContext context, ServiceCatalog catalog, VerificationService verifications, CancellationToken cancellationToken)
    {
        var caller = TwilioCaller.From(context)!;
        if (await TwilioServicesEndpoints.VisibleAsync(caller, serviceSid, catalog, cancellationToken) is not { } service
            || TwilioSids.VerificationId(sid) is not { } id)
        {
            return TwilioError.Missing(context);
        }

        var (form, error) = await TwilioForm.ReadAsync(context);
        if (error is not null)
        {
            return error;
        }

        var result = form!["Status"] switch
        {
            "canceled" => await verifications.CancelAsync(Owner(service), id, cancellationToken),
            "approved" => await verifications.ApproveWithoutCodeAsync(Owner(service), id, cancellationToken),
            _ => null,
        };
        if (result is null)
        {
            return TwilioError.Invalid("Status", "It must be canceled or approved.");
        }

        return result.Refusal switch
        {
            null => TwilioResources.Answer(TwilioResources.Verification(result.Verification!, service, caller.AccountSid, TwilioResources.Base(context))),
            // Only a check is told that the attempts ran out (60202); for an update it is gone, as every ended one.
            { Reason: Refusal.MaxAttemptsReached } => TwilioError.Missing(context),
            { } refusal => TwilioRefusals.From(refusal, context),
        };
    }

    /// <summary>
    /// What a fetch still shows: a pending verification, and a failed one (its code could not be delivered, which the
    /// application wants to know). Twilio deletes the others once approved, canceled, expired or out of attempts.
    /// </summary>
    private static bool IsShown(VerificationStatus status) => status is VerificationStatus.Pending or VerificationStatus.Failed;

    [GeneratedRegex("^[A-Za-z]{2,3}([_-][A-Za-z]{2,8})*$", RegexOptions.CultureInvariant)]
    private static partial Regex LocalePattern();
}
