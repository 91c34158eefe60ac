using Microsoft.AspNetCore.Http;
using OtpGate.Server.TwilioVerify;
using OtpGate.Verification.Limits;
using OtpGate.Verification.Verifications;

namespace OtpGate.Server.Tests.TwilioVerify;

/// <summary>Every refusal of the engine has a Twilio code chosen for it: a new refusal fails here until it is given one.</summary>
public sealed class TwilioRefusalsTests
{
    private const string ServiceSid = "VA0123456789abcdef0123456789abcdef";

    // The code each refusal answers on /v2 (docs/twilio-verify.md, "Errors").
    private static readonly Dictionary<Refusal, int> Codes = new()
    {
        [Refusal.NotFound] = 20404,
        [Refusal.InvalidRequest] = 60200,
        [Refusal.InvalidPhone] = 60200,
        [Refusal.CountryNotAllowed] = 60605,
        [Refusal.RateLimited] = 60203,
        [Refusal.Cooldown] = 20429,
        [Refusal.WrongCode] = 60200,
        [Refusal.Expired] = 20404,
        [Refusal.MaxAttemptsReached] = 60202,
        [Refusal.Canceled] = 20404,
        [Refusal.AlreadyApproved] = 20404,
        [Refusal.Failed] = 20404,
        [Refusal.IdempotencyKeyReused] = 60200,
        [Refusal.ServiceNotFound] = 20404,
        [Refusal.ChannelUnavailable] = 60223,
        [Refusal.SpendCapReached] = 20429,
        [Refusal.FraudSuspected] = 60410,
    };

    [Fact]
    public void Every_refusal_has_a_twilio_code_chosen_for_it()
    {
        Assert.Equal(Enum.GetValues<Refusal>().Order(), Codes.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Each_refusal_answers_its_twilio_code(Refusal reason)
    {
        var refusal = new Refused(reason, "Why.", reason == Refusal.RateLimited ? LimitNames.PhoneSends10Minutes : null, TimeSpan.FromSeconds(3));

        var error = TwilioRefusals.From(refusal, Start());

        Assert.Equal(Codes[reason], error.Code);
        Assert.Equal(error.Code switch { 20404 => 404, 60202 or 60203 or 20429 => 429, 60605 or 60410 => 403, _ => 400 }, error.Status);
    }

    [Fact]
    public void A_service_deleted_under_a_request_is_20404_naming_the_service()
    {
        var error = TwilioRefusals.From(new Refused(Refusal.ServiceNotFound, "This key's service \"shop\" does not exist."), Start());

        Assert.Equal($"The requested resource /Services/{ServiceSid} was not found", error.Message);
    }

    [Fact]
    public void A_repeat_start_in_the_cooldown_says_a_code_was_just_sent_and_when_the_next_can_go()
    {
        var error = TwilioRefusals.From(new Refused(Refusal.Cooldown, "A code was sent moments ago.", null, TimeSpan.FromMilliseconds(12_300)), Start());

        Assert.Equal("Too many requests: a code was just sent to this number; a new one can be sent in 13 seconds.", error.Message);
    }

    public static TheoryData<Refusal> Refusals() => [.. Enum.GetValues<Refusal>()];

    // A start in a service, as routing leaves it: the path and the route's service sid.
    private static DefaultHttpContext Start()
    {
        var context = new DefaultHttpContext();
        context.Request.Path = $"/v2/Services/{ServiceSid}/Verifications";
        context.Request.RouteValues["serviceSid"] = ServiceSid;
        return context;
    }
}
