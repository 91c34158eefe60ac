using System.Net;
using System.Text.Json.Nodes;
using OtpGate.TwilioVerify.Tests.Support;

namespace OtpGate.TwilioVerify.Tests.Wire;

/// <summary>
/// <c>/v2/Services/{sid}/Verifications</c> and <c>/VerificationCheck</c> over plain HTTP with form bodies, field by field
/// against <see cref="VerifyV2Schema"/>, with Twilio's semantics: a wrong code is a 200 with <c>pending</c>, and an
/// approved or canceled verification is gone (20404).
/// </summary>
[Collection(nameof(OneAtATime))]
public sealed class WireVerificationTests(OtpGateServer server)
{
    private async Task<(HttpClient Client, string ServiceSid)> NewServiceAsync(string name)
    {
        var admin = server.Basic(Credentials.AdminAccountSid, Credentials.AdminAuthToken);
        var created = await admin.PostAsync("/v2/Services", ("FriendlyName", name));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return (admin, WireAssert.Text(created.Json, "sid"));
    }

    [Fact]
    public async Task A_whatsapp_verification_is_started_fetched_checked_wrong_then_right_and_is_gone_after_approval()
    {
        var (admin, service) = await NewServiceAsync("Wire verify");
        using var _ = admin;
        var phone = server.NextPhone();

        var started = WireAssert.Resource(await admin.PostAsync($"/v2/Services/{service}/Verifications", ("To", phone), ("Channel", "whatsapp")), HttpStatusCode.Created, VerifyV2Schema.Verification, server.Root);
        var sid = WireAssert.Text(started, "sid");
        var code = await server.ReadCodeAsync(phone);
        var fetched = WireAssert.Resource(await admin.GetAnswerAsync($"/v2/Services/{service}/Verifications/{sid}"), HttpStatusCode.OK, VerifyV2Schema.Verification, server.Root);
        var wrong = await admin.PostAsync($"/v2/Services/{service}/VerificationCheck", ("To", phone), ("Code", OtpGateServer.WrongCode(code)));
        var right = await admin.PostAsync($"/v2/Services/{service}/VerificationCheck", ("To", phone), ("Code", code));
        var afterwards = await admin.GetAnswerAsync($"/v2/Services/{service}/Verifications/{sid}");

        Assert.Equal((service, phone, "whatsapp", "pending", false), Summary(started));
        Assert.Equal(new Uri(server.Root, $"v2/Services/{service}/Verifications/{sid}").ToString(), WireAssert.Text(started, "url"));
        AttemptsLikeTheExample(started, 1);
        Assert.Equal(Summary(started), Summary(fetched));
        Assert.Equal(WireAssert.Text(started, "date_created"), WireAssert.Text(fetched, "date_created"));
        Check(wrong, sid, service, phone, "pending", false);
        Check(right, sid, service, phone, "approved", true);
        WireAssert.Error(afterwards, HttpStatusCode.NotFound, 20404, server.Root);
    }

    [Fact]
    public async Task A_verification_is_checked_by_its_sid_and_canceled_with_a_status_update()
    {
        var (admin, service) = await NewServiceAsync("Wire cancel");
        using var _ = admin;
        var phone = server.NextPhone();
        var sid = WireAssert.Text((await admin.PostAsync($"/v2/Services/{service}/Verifications", ("To", phone), ("Channel", "whatsapp"))).Json, "sid");
        var code = await server.ReadCodeAsync(phone);

        var wrong = await admin.PostAsync($"/v2/Services/{service}/VerificationCheck", ("VerificationSid", sid), ("Code", OtpGateServer.WrongCode(code)));
        var canceled = WireAssert.Resource(await admin.PostAsync($"/v2/Services/{service}/Verifications/{sid}", ("Status", "canceled")), HttpStatusCode.OK, VerifyV2Schema.Verification, server.Root);
        var checkAfter = await admin.PostAsync($"/v2/Services/{service}/VerificationCheck", ("VerificationSid", sid), ("Code", code));

        Check(wrong, sid, service, phone, "pending", false);
        Assert.Equal((service, phone, "whatsapp", "canceled", false), Summary(canceled));
        WireAssert.Error(checkAfter, HttpStatusCode.NotFound, 20404, server.Root);
    }

    [Fact]
    public async Task A_second_start_for_the_same_number_answers_the_same_verification_and_sends_the_same_code()
    {
        var (admin, service) = await NewServiceAsync("Wire resend");
        using var _ = admin;
        var phone = server.NextPhone();

        var first = (await admin.PostAsync($"/v2/Services/{service}/Verifications", ("To", phone), ("Channel", "whatsapp"))).Json;
        var code = await server.ReadCodeAsync(phone);
        var second = WireAssert.Resource(await admin.PostAsync($"/v2/Services/{service}/Verifications", ("To", phone), ("Channel", "whatsapp")), HttpStatusCode.Created, VerifyV2Schema.Verification, server.Root);

        Assert.Equal(WireAssert.Text(first, "sid"), WireAssert.Text(second, "sid"));
        Assert.Equal(code, await server.ReadCodeAsync(phone, messages: 2));
        AttemptsLikeTheExample(second, 2);
    }

    private static (string, string, string, string, bool) Summary(JsonObject verification) =>
        (WireAssert.Text(verification, "service_sid"), WireAssert.Text(verification, "to"), WireAssert.Text(verification, "channel"),
         WireAssert.Text(verification, "status"), verification["valid"]!.GetValue<bool>());

    private void Check(Answer answer, string sid, string service, string phone, string status, bool valid)
    {
        // The description says 201; Twilio's live API answers 200, and every library takes any 2xx.
        Assert.True(answer.Status is HttpStatusCode.OK or HttpStatusCode.Created, $"{(int)answer.Status}: {answer.Body?.ToJsonString()}");
        Assert.Equal("application/json", answer.MediaType);
        WireAssert.Fields(answer.Json, VerifyV2Schema.VerificationCheck, server.Root);
        Assert.Equal((sid, service, phone, "whatsapp", status, valid), (WireAssert.Text(answer.Json, "sid"), WireAssert.Text(answer.Json, "service_sid"),
            WireAssert.Text(answer.Json, "to"), WireAssert.Text(answer.Json, "channel"), WireAssert.Text(answer.Json, "status"), answer.Json["valid"]!.GetValue<bool>()));
    }

    /// <summary>The items are untyped in the description; its example gives each a <c>time</c>, a <c>channel</c> and an <c>attempt_sid</c> (<c>VL…</c>).</summary>
    private static void AttemptsLikeTheExample(JsonObject verification, int count)
    {
        var attempts = verification["send_code_attempts"]!.AsArray();
        Assert.Equal(count, attempts.Count);
        foreach (var attempt in attempts)
        {
            Assert.True(VerifyV2Schema.IsTwilioDate(attempt!["time"]!.GetValue<string>()), attempt.ToJsonString());
            Assert.Equal("whatsapp", attempt["channel"]!.GetValue<string>());
            Assert.Matches("^VL[0-9a-fA-F]{32}$", attempt["attempt_sid"]!.GetValue<string>());
        }
    }
}
