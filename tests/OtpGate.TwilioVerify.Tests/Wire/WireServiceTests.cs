using System.Net;
using OtpGate.TwilioVerify.Tests.Support;

namespace OtpGate.TwilioVerify.Tests.Wire;

/// <summary><c>/v2/Services</c> over plain HTTP with form bodies, field by field against <see cref="VerifyV2Schema"/>.</summary>
[Collection(nameof(OneAtATime))]
public sealed class WireServiceTests(OtpGateServer server)
{
    [Fact]
    public async Task A_service_is_created_fetched_updated_and_deleted_with_every_field_of_twilios_service()
    {
        using var admin = server.Basic(Credentials.AdminAccountSid, Credentials.AdminAuthToken);

        var created = WireAssert.Resource(await admin.PostAsync("/v2/Services", ("FriendlyName", "Wire shop"), ("CodeLength", "7")), HttpStatusCode.Created, VerifyV2Schema.Service, server.Root);
        var sid = WireAssert.Text(created, "sid");
        var fetched = WireAssert.Resource(await admin.GetAnswerAsync($"/v2/Services/{sid}"), HttpStatusCode.OK, VerifyV2Schema.Service, server.Root);
        var updated = WireAssert.Resource(await admin.PostAsync($"/v2/Services/{sid}", ("FriendlyName", "Wire shop 2")), HttpStatusCode.OK, VerifyV2Schema.Service, server.Root);
        var deleted = await admin.DeleteAnswerAsync($"/v2/Services/{sid}");
        var gone = await admin.GetAnswerAsync($"/v2/Services/{sid}");

        Assert.Equal(("Wire shop", 7, Credentials.AdminAccountSid), (WireAssert.Text(created, "friendly_name"), created["code_length"]!.GetValue<int>(), WireAssert.Text(created, "account_sid")));
        Assert.Equal(new Uri(server.Root, $"v2/Services/{sid}").ToString(), WireAssert.Text(created, "url"));
        Assert.Equal(new Uri(server.Root, $"v2/Services/{sid}/Verifications").ToString(), created["links"]!["verifications"]!.GetValue<string>());
        Assert.Equal(new Uri(server.Root, $"v2/Services/{sid}/VerificationCheck").ToString(), created["links"]!["verification_checks"]!.GetValue<string>());
        Assert.Equal(created.ToJsonString(), fetched.ToJsonString());
        Assert.Equal(("Wire shop 2", 7), (WireAssert.Text(updated, "friendly_name"), updated["code_length"]!.GetValue<int>()));
        Assert.Equal(WireAssert.Text(created, "date_created"), WireAssert.Text(updated, "date_created"));
        Assert.Equal((HttpStatusCode.NoContent, null), (deleted.Status, deleted.Body));
        WireAssert.Error(gone, HttpStatusCode.NotFound, 20404, server.Root);
    }

    [Fact]
    public async Task Services_are_listed_in_pages_whose_meta_has_every_field_and_next_page_url_leads_on()
    {
        using var admin = server.Basic(Credentials.AdminAccountSid, Credentials.AdminAuthToken);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/v2/Services", ("FriendlyName", $"Wire page {i}"))).Status);
        }

        var first = WireAssert.Resource(await admin.GetAnswerAsync("/v2/Services?PageSize=2"), HttpStatusCode.OK, [new("services", FieldType.Array, Filled: true), new("meta", FieldType.Object, Filled: true)], server.Root);
        var meta = first["meta"]!.AsObject();
        WireAssert.Fields(meta, VerifyV2Schema.ListMeta, server.Root);
        var second = WireAssert.Resource(await admin.GetAnswerAsync(WireAssert.Text(meta, "next_page_url")), HttpStatusCode.OK, [new("services", FieldType.Array, Filled: true), new("meta", FieldType.Object, Filled: true)], server.Root);
        var secondMeta = second["meta"]!.AsObject();
        WireAssert.Fields(secondMeta, VerifyV2Schema.ListMeta, server.Root);

        Assert.Equal(("services", 0, 2), (WireAssert.Text(meta, "key"), meta["page"]!.GetValue<int>(), meta["page_size"]!.GetValue<int>()));
        Assert.Null(meta["previous_page_url"]);
        Assert.Equal(2, first["services"]!.AsArray().Count);
        Assert.Equal((1, 2), (secondMeta["page"]!.GetValue<int>(), secondMeta["page_size"]!.GetValue<int>()));
        Assert.NotNull(secondMeta["previous_page_url"]);
        Assert.Equal(WireAssert.Text(meta, "first_page_url"), WireAssert.Text(secondMeta, "first_page_url"));
        foreach (var service in first["services"]!.AsArray().Concat(second["services"]!.AsArray()))
        {
            WireAssert.Fields(service!.AsObject(), VerifyV2Schema.Service, server.Root);
        }

        var sids = first["services"]!.AsArray().Concat(second["services"]!.AsArray()).Select(s => WireAssert.Text(s!.AsObject(), "sid")).ToList();
        Assert.Equal(sids.Count, sids.Distinct().Count());
    }
}
