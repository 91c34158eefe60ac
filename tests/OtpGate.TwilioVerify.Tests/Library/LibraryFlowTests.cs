using OtpGate.TwilioVerify.Tests.Support;
using OtpGate.TwilioVerify.Tests.Wire;
using Twilio.Rest.Verify.V2;
using Twilio.Rest.Verify.V2.Service;

namespace OtpGate.TwilioVerify.Tests.Library;

/// <summary>
/// Twilio's official C# library (NuGet <c>Twilio</c>) against a running OtpGate. Only the setup differs from a Twilio
/// application (<see cref="TwilioSetup"/>, as README shows); every call below is written as Twilio's documentation
/// writes it, through the static <c>TwilioClient</c>.
/// </summary>
[Collection(nameof(OneAtATime))]
public sealed class LibraryFlowTests(OtpGateServer server)
{
    [Fact]
    public async Task A_service_is_created_and_a_whatsapp_verification_goes_from_a_wrong_code_to_approved()
    {
        TwilioSetup.UseOtpGate(server.Root, Credentials.AdminAccountSid, Credentials.AdminAuthToken);
        var phone = server.NextPhone();

        var service = await ServiceResource.CreateAsync(friendlyName: "My App");
        var verification = await VerificationResource.CreateAsync(to: phone, channel: "whatsapp", pathServiceSid: service.Sid);
        var code = await server.ReadCodeAsync(phone);
        var wrong = await VerificationCheckResource.CreateAsync(to: phone, code: OtpGateServer.WrongCode(code), pathServiceSid: service.Sid);
        var right = await VerificationCheckResource.CreateAsync(to: phone, code: code, pathServiceSid: service.Sid);

        Assert.Matches(VerifyV2Schema.ServiceSid, service.Sid);
        Assert.Equal("My App", service.FriendlyName);
        Assert.Equal(Credentials.AdminAccountSid, service.AccountSid);
        Assert.Equal((service.Sid, phone, "pending", false), (verification.ServiceSid, verification.To, verification.Status, verification.Valid));
        Assert.Equal("whatsapp", verification.Channel.ToString());
        Assert.Matches(VerifyV2Schema.VerificationSid, verification.Sid);
        Assert.Equal(new Uri(server.Root, $"v2/Services/{service.Sid}/Verifications/{verification.Sid}"), verification.Url);
        Assert.Equal((verification.Sid, "pending", false), (wrong.Sid, wrong.Status, wrong.Valid));
        Assert.Equal((verification.Sid, "approved", true), (right.Sid, right.Status, right.Valid));
    }

    [Fact]
    public async Task Channel_sms_starts_an_SMS_verification_whose_code_approves()
    {
        TwilioSetup.UseOtpGate(server.Root, Credentials.AdminAccountSid, Credentials.AdminAuthToken);
        var phone = server.NextPhone();
        var service = await ServiceResource.CreateAsync(friendlyName: "By SMS");

        var verification = await VerificationResource.CreateAsync(to: phone, channel: "sms", pathServiceSid: service.Sid);
        var code = await server.ReadSmsCodeAsync(phone);
        var fetched = await VerificationResource.FetchAsync(pathServiceSid: service.Sid, pathSid: verification.Sid);
        var right = await VerificationCheckResource.CreateAsync(to: phone, code: code, pathServiceSid: service.Sid);

        Assert.Equal(("sms", "pending"), (verification.Channel.ToString(), verification.Status));
        Assert.Equal("sms", fetched.Channel.ToString());
        Assert.Matches("\"channel\":\\s*\"sms\"", Assert.Single(fetched.SendCodeAttempts).ToString());
        Assert.Equal(("approved", true, "sms"), (right.Status, right.Valid, right.Channel.ToString()));
    }

    [Fact]
    public async Task A_verification_is_fetched_checked_by_its_sid_and_canceled()
    {
        TwilioSetup.UseOtpGate(server.Root, Credentials.AdminAccountSid, Credentials.AdminAuthToken);
        var service = await ServiceResource.CreateAsync(friendlyName: "Fetch and cancel");
        var phone = server.NextPhone();
        var started = await VerificationResource.CreateAsync(to: phone, channel: "whatsapp", pathServiceSid: service.Sid);
        var code = await server.ReadCodeAsync(phone);

        var fetched = await VerificationResource.FetchAsync(pathServiceSid: service.Sid, pathSid: started.Sid);
        var wrong = await VerificationCheckResource.CreateAsync(verificationSid: started.Sid, code: OtpGateServer.WrongCode(code), pathServiceSid: service.Sid);
        var canceled = await VerificationResource.UpdateAsync(status: VerificationResource.StatusEnum.Canceled, pathServiceSid: service.Sid, pathSid: started.Sid);

        Assert.Equal((started.Sid, phone, "pending"), (fetched.Sid, fetched.To, fetched.Status));
        Assert.Equal(started.DateCreated, fetched.DateCreated);
        Assert.Equal(DateTimeKind.Utc, fetched.DateCreated!.Value.Kind);
        Assert.Equal(("pending", false), (wrong.Status, wrong.Valid));
        Assert.Equal((started.Sid, "canceled"), (canceled.Sid, canceled.Status));
    }

    [Fact]
    public async Task The_right_code_approves_through_an_update_too_and_the_service_is_fetched_updated_and_deleted()
    {
        TwilioSetup.UseOtpGate(server.Root, Credentials.AdminAccountSid, Credentials.AdminAuthToken);
        var service = await ServiceResource.CreateAsync(friendlyName: "Lifecycle", codeLength: 8);
        var phone = server.NextPhone();
        var started = await VerificationResource.CreateAsync(to: phone, channel: "whatsapp", pathServiceSid: service.Sid);
        // Read once it has been sent: an approval cancels a send still queued.
        var code = await server.ReadCodeAsync(phone);

        var approved = await VerificationResource.UpdateAsync(status: VerificationResource.StatusEnum.Approved, pathServiceSid: service.Sid, pathSid: started.Sid);
        var fetched = await ServiceResource.FetchAsync(pathSid: service.Sid);
        var renamed = await ServiceResource.UpdateAsync(pathSid: service.Sid, friendlyName: "Lifecycle 2");
        var deleted = await ServiceResource.DeleteAsync(pathSid: service.Sid);

        Assert.Equal("approved", approved.Status);
        Assert.Equal(8, code.Length);
        Assert.Equal((service.Sid, "Lifecycle", 8), (fetched.Sid, fetched.FriendlyName, fetched.CodeLength));
        Assert.Equal("Lifecycle 2", renamed.FriendlyName);
        Assert.True(deleted);
    }

    [Fact]
    public async Task Services_are_listed_page_by_page_and_the_second_page_comes_from_next_page_url()
    {
        var seen = new List<Uri>();
        TwilioSetup.UseOtpGateRecording(server.Root, Credentials.AdminAccountSid, Credentials.AdminAuthToken, seen);
        var created = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            created.Add((await ServiceResource.CreateAsync(friendlyName: $"Paged {i}")).Sid);
        }

        seen.Clear();
        var listed = (await ServiceResource.ReadAsync(pageSize: 2)).Select(service => service.Sid).ToList();

        Assert.Subset(listed.ToHashSet(), created.ToHashSet());
        Assert.Equal(listed.Count, listed.Distinct().Count());
        Assert.True(seen.Count >= 2, $"The library asked for {seen.Count} page(s): {string.Join(", ", seen)}");
        // The first page at Twilio's address (the handler brings it to OtpGate); the next ones at the absolute
        // next_page_url OtpGate wrote, which the library fetches as it is.
        Assert.Equal("https://verify.twilio.com/v2/Services?PageSize=2", seen[0].ToString());
        Assert.All(seen.Skip(1), next => Assert.True(server.Root.IsBaseOf(next), $"{next} is not on {server.Root}"));
    }

    [Fact]
    public async Task An_api_key_with_its_secret_and_the_account_sid_starts_and_checks_in_its_service()
    {
        var (keySid, keySecret, accountSid) = await server.ShopApiKeyAsync();
        TwilioSetup.UseOtpGate(server.Root, keySid, keySecret, accountSid);
        var shop = await ServiceResource.FetchAsync(pathSid: await server.ServiceSidAsync("shop"));
        var phone = server.NextPhone();

        var started = await VerificationResource.CreateAsync(to: phone, channel: "whatsapp", pathServiceSid: shop.Sid);
        var approved = await VerificationCheckResource.CreateAsync(to: phone, code: await server.ReadCodeAsync(phone), pathServiceSid: shop.Sid);

        Assert.Matches("^SK[0-9a-f]{32}$", keySid);
        Assert.Equal(("Shop", accountSid), (shop.FriendlyName, started.AccountSid));
        Assert.Equal((started.Sid, "approved", true), (approved.Sid, approved.Status, approved.Valid));
    }
}
