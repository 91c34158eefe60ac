using System.Net;
using OtpGate.TwilioVerify.Tests.Support;

namespace OtpGate.TwilioVerify.Tests.Wire;

/// <summary>Twilio's error body over plain HTTP: every field, <c>status</c> equal to the HTTP status, Twilio's code.</summary>
[Collection(nameof(OneAtATime))]
public sealed class WireErrorTests(OtpGateServer server)
{
    private const string NeverIssuedService = "VA0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task Missing_or_wrong_credentials_are_20003_with_a_basic_challenge()
    {
        using var anonymous = server.CreateClient();
        using var wrong = server.Basic(Credentials.AdminAccountSid, "not-the-auth-token-0123456789");
        using var unknown = server.Basic("AC9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f", Credentials.AdminAuthToken);

        foreach (var client in new[] { anonymous, wrong, unknown })
        {
            using var response = await client.GetAsync("/v2/Services", TestContext.Current.CancellationToken);
            Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
            WireAssert.Error(await client.GetAnswerAsync("/v2/Services"), HttpStatusCode.Unauthorized, 20003, server.Root);
        }
    }

    [Fact]
    public async Task An_unknown_service_verification_or_path_is_20404_naming_the_resource()
    {
        using var admin = server.Basic(Credentials.AdminAccountSid, Credentials.AdminAuthToken);

        var service = WireAssert.Error(await admin.GetAnswerAsync($"/v2/Services/{NeverIssuedService}"), HttpStatusCode.NotFound, 20404, server.Root);
        var start = WireAssert.Error(await admin.PostAsync($"/v2/Services/{NeverIssuedService}/Verifications", ("To", server.NextPhone()), ("Channel", "whatsapp")), HttpStatusCode.NotFound, 20404, server.Root);

        Assert.Equal($"The requested resource /Services/{NeverIssuedService} was not found", WireAssert.Text(service, "message"));
        Assert.Equal($"The requested resource /Services/{NeverIssuedService}/Verifications was not found", WireAssert.Text(start, "message"));
    }

    [Fact]
    public async Task Invalid_parameters_are_60200_naming_the_parameter()
    {
        using var admin = server.Basic(Credentials.AdminAccountSid, Credentials.AdminAuthToken);
        var sid = WireAssert.Text((await admin.PostAsync("/v2/Services", ("FriendlyName", "Wire errors"))).Json, "sid");
        var phone = server.NextPhone();
        var verification = WireAssert.Text((await admin.PostAsync($"/v2/Services/{sid}/Verifications", ("To", phone), ("Channel", "whatsapp"))).Json, "sid");

        var cases = new (string Path, (string, string)[] Form, string Parameter)[]
        {
            ("/v2/Services", [], "FriendlyName"),
            ("/v2/Services", [("FriendlyName", "x"), ("CodeLength", "3")], "CodeLength"),
            ($"/v2/Services/{sid}/Verifications", [("To", "12345"), ("Channel", "whatsapp")], "To"),
            ($"/v2/Services/{sid}/Verifications", [("To", phone)], "Channel"),
            ($"/v2/Services/{sid}/Verifications", [("To", phone), ("Channel", "pigeon")], "Channel"),
            ($"/v2/Services/{sid}/VerificationCheck", [("To", phone)], "Code"),
            ($"/v2/Services/{sid}/VerificationCheck", [("To", phone), ("Code", "12")], "Code"),
            ($"/v2/Services/{sid}/VerificationCheck", [("Code", "123456")], "To"),
            ($"/v2/Services/{sid}/Verifications/{verification}", [("Status", "done")], "Status"),
        };
        foreach (var (path, form, parameter) in cases)
        {
            var error = WireAssert.Error(await admin.PostAsync(path, form), HttpStatusCode.BadRequest, 60200, server.Root);
            Assert.StartsWith($"Invalid parameter: {parameter}", WireAssert.Text(error, "message"));
        }
    }

    [Fact]
    public async Task A_service_account_sees_only_its_service_and_may_not_create_one()
    {
        using var shop = server.Basic(Credentials.ShopAccountSid, Credentials.ShopAuthToken);
        using var admin = server.Basic(Credentials.AdminAccountSid, Credentials.AdminAuthToken);
        var other = WireAssert.Text((await admin.PostAsync("/v2/Services", ("FriendlyName", "Wire not shop"))).Json, "sid");

        var list = WireAssert.Resource(await shop.GetAnswerAsync("/v2/Services"), HttpStatusCode.OK, [new("services", FieldType.Array, Filled: true), new("meta", FieldType.Object, Filled: true)], server.Root);
        var create = await shop.PostAsync("/v2/Services", ("FriendlyName", "Not mine"));

        Assert.Equal(["Shop"], list["services"]!.AsArray().Select(s => WireAssert.Text(s!.AsObject(), "friendly_name")));
        WireAssert.Error(create, HttpStatusCode.Forbidden, 20403, server.Root);
        WireAssert.Error(await shop.GetAnswerAsync($"/v2/Services/{other}"), HttpStatusCode.NotFound, 20404, server.Root);
        WireAssert.Error(await shop.PostAsync($"/v2/Services/{other}/Verifications", ("To", server.NextPhone()), ("Channel", "whatsapp")), HttpStatusCode.NotFound, 20404, server.Root);
    }
}
