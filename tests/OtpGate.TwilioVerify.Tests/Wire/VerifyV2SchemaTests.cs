using System.Text.Json.Nodes;

namespace OtpGate.TwilioVerify.Tests.Wire;

/// <summary>The field check itself: each kind of mismatch it exists to catch is reported, by field.</summary>
public sealed class VerifyV2SchemaTests
{
    private static readonly Uri Root = new("http://127.0.0.1:5080/");

    [Fact]
    public void A_missing_field_a_wrong_type_a_bad_sid_a_bad_date_and_a_foreign_url_are_each_reported()
    {
        var body = JsonNode.Parse("""
            {"sid": "VE0123", "service_sid": "VA0123456789abcdef0123456789abcdef", "account_sid": "AC0123456789abcdef0123456789abcdef",
             "to": "+15017122661", "channel": "whatsapp", "status": "pending", "valid": "false", "lookup": {}, "amount": null,
             "payee": null, "send_code_attempts": [], "date_created": "2015-07-30T20:00:00.123Z", "date_updated": "Thu, 30 Jul 2015 20:00:00 +0000",
             "url": "https://verify.twilio.com/v2/Services/VA0123456789abcdef0123456789abcdef/Verifications/VE0123"}
            """)!.AsObject();

        var problems = VerifyV2Schema.Problems(body, VerifyV2Schema.Verification, Root);

        Assert.Equal(["sid", "valid", "date_created", "date_updated", "sna", "url"], problems.Select(p => p[..p.IndexOf(':', StringComparison.Ordinal)]));
        Assert.Contains("sna: missing", problems);
        Assert.Contains("valid: not a boolean", problems[1]);
    }

    [Fact]
    public void A_list_meta_with_nulls_where_twilio_allows_them_and_urls_on_the_server_passes()
    {
        var meta = JsonNode.Parse("""
            {"page": 0, "page_size": 2, "first_page_url": "http://127.0.0.1:5080/v2/Services?PageSize=2&Page=0", "previous_page_url": null,
             "next_page_url": null, "url": "http://127.0.0.1:5080/v2/Services?PageSize=2&Page=0", "key": "services"}
            """)!.AsObject();

        Assert.Empty(VerifyV2Schema.Problems(meta, VerifyV2Schema.ListMeta, Root));
        meta["page"] = null;
        Assert.Equal(["page: null, a value was expected"], VerifyV2Schema.Problems(meta, VerifyV2Schema.ListMeta, Root));
    }
}
