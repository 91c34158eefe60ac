using OtpGate.TwilioVerify.Tests.Support;
using Twilio.Exceptions;
using Twilio.Rest.Verify.V2;
using Twilio.Rest.Verify.V2.Service;

namespace OtpGate.TwilioVerify.Tests.Library;

/// <summary>
/// Each refusal of OtpGate's <c>/v2</c> reaches a Twilio application as the library's own <c>ApiException</c>, with
/// Twilio's code in <c>Code</c> and the HTTP status in <c>Status</c>, as its <c>catch</c> blocks expect.
/// </summary>
[Collection(nameof(OneAtATime))]
public sealed class LibraryErrorTests(OtpGateServer server)
{
    private const string NeverIssued = "VE0123456789abcdef0123456789abcdef";

    private async Task<string> ServiceAsync(string name)
    {
        TwilioSetup.UseOtpGate(server.Root, Credentials.AdminAccountSid, Credentials.AdminAuthToken);
        return (await ServiceResource.CreateAsync(friendlyName: name)).Sid;
    }

    private static async Task<ApiException> RefusedAsync(int code, int status, Func<Task> call)
    {
        var refused = await Assert.ThrowsAsync<ApiException>(call);
        Assert.True((code, status) == (refused.Code, refused.Status), $"Expected {code}/{status}, got {refused.Code}/{refused.Status}: {refused.Message}");
        Assert.Equal($"https://www.twilio.com/docs/errors/{code}", refused.MoreInfo);
        return refused;
    }

    [Fact]
    public async Task A_verification_sid_never_issued_is_20404_and_so_is_an_approved_one()
    {
        var service = await ServiceAsync("Errors 20404");
        var phone = server.NextPhone();
        var started = await VerificationResource.CreateAsync(to: phone, channel: "whatsapp", pathServiceSid: service);
        await VerificationCheckResource.CreateAsync(to: phone, code: await server.ReadCodeAsync(phone), pathServiceSid: service);

        await RefusedAsync(20404, 404, () => VerificationResource.FetchAsync(pathServiceSid: service, pathSid: NeverIssued));
        await RefusedAsync(20404, 404, () => VerificationResource.FetchAsync(pathServiceSid: service, pathSid: started.Sid));
        await RefusedAsync(20404, 404, () => VerificationCheckResource.CreateAsync(to: phone, code: "123456", pathServiceSid: service));
        await RefusedAsync(20404, 404, () => ServiceResource.FetchAsync(pathSid: "VA0123456789abcdef0123456789abcdef"));
    }

    [Fact]
    public async Task A_number_that_is_not_e164_is_60200_naming_the_parameter()
    {
        var service = await ServiceAsync("Errors 60200");

        var refused = await RefusedAsync(60200, 400, () => VerificationResource.CreateAsync(to: "12345", channel: "whatsapp", pathServiceSid: service));

        Assert.StartsWith("Invalid parameter: To", refused.Message);
    }

    [Fact]
    public async Task The_check_after_the_last_attempt_is_60202_by_sid_and_by_number_and_a_fetch_is_20404()
    {
        var service = await ServiceAsync("Errors 60202");
        var phone = server.NextPhone();
        var started = await VerificationResource.CreateAsync(to: phone, channel: "whatsapp", pathServiceSid: service);
        var wrong = OtpGateServer.WrongCode(await server.ReadCodeAsync(phone));

        var answers = new List<(string, bool?)>();
        for (var i = 0; i < 5; i++)
        {
            var check = await VerificationCheckResource.CreateAsync(to: phone, code: wrong, pathServiceSid: service);
            answers.Add((check.Status, check.Valid));
        }

        // Five attempts (the service's, Twilio's too): the fifth wrong code ends the verification.
        Assert.Equal([.. Enumerable.Repeat(("pending", (bool?)false), 4), ("max_attempts_reached", false)], answers);
        await RefusedAsync(60202, 429, () => VerificationCheckResource.CreateAsync(verificationSid: started.Sid, code: wrong, pathServiceSid: service));
        // By number too (most applications check by number), while the code's lifetime lasts; a fetch is not found.
        await RefusedAsync(60202, 429, () => VerificationCheckResource.CreateAsync(to: phone, code: wrong, pathServiceSid: service));
        await RefusedAsync(20404, 404, () => VerificationResource.FetchAsync(pathServiceSid: service, pathSid: started.Sid));
    }

    [Fact]
    public async Task A_sixth_start_for_one_number_within_ten_minutes_is_60203()
    {
        var service = await ServiceAsync("Errors 60203");
        var phone = server.NextPhone();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("pending", (await VerificationResource.CreateAsync(to: phone, channel: "whatsapp", pathServiceSid: service)).Status);
        }

        await RefusedAsync(60203, 429, () => VerificationResource.CreateAsync(to: phone, channel: "whatsapp", pathServiceSid: service));
    }

    [Fact]
    public async Task A_wrong_auth_token_is_20003()
    {
        TwilioSetup.UseOtpGate(server.Root, Credentials.AdminAccountSid, "not-the-auth-token-0123456789");

        await RefusedAsync(20003, 401, () => ServiceResource.ReadAsync(pageSize: 5));
        await RefusedAsync(20003, 401, () => VerificationResource.FetchAsync(pathServiceSid: "VA0123456789abcdef0123456789abcdef", pathSid: NeverIssued));
    }

    [Fact]
    public async Task Channels_otpgate_does_not_have_are_refused_by_name()
    {
        var service = await ServiceAsync("Errors channels");
        var phone = server.NextPhone();

        foreach (var channel in new[] { "call", "email", "sna", "auto" })
        {
            var refused = await RefusedAsync(60223, 400, () => VerificationResource.CreateAsync(to: phone, channel: channel, pathServiceSid: service));
            Assert.Contains(channel, refused.Message, StringComparison.OrdinalIgnoreCase);
        }

        await RefusedAsync(60200, 400, () => VerificationResource.CreateAsync(to: phone, channel: "pigeon", pathServiceSid: service));
    }

    [Fact]
    public async Task A_service_account_gets_20404_for_another_services_verification_and_service()
    {
        var other = await ServiceAsync("Errors isolation");
        var phone = server.NextPhone();
        var started = await VerificationResource.CreateAsync(to: phone, channel: "whatsapp", pathServiceSid: other);

        TwilioSetup.UseOtpGate(server.Root, Credentials.ShopAccountSid, Credentials.ShopAuthToken);

        await RefusedAsync(20404, 404, () => VerificationResource.FetchAsync(pathServiceSid: other, pathSid: started.Sid));
        await RefusedAsync(20404, 404, () => VerificationCheckResource.CreateAsync(to: phone, code: "123456", pathServiceSid: other));
        await RefusedAsync(20404, 404, () => ServiceResource.FetchAsync(pathSid: other));
    }
}
