using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using OtpGate.Server.Tests.Support;

namespace OtpGate.Server.Tests.TwilioVerify;

/// <summary>
/// A server with a configured service <c>shop</c> (custom codes allowed, no resend cooldown), <c>other</c>, <c>slow</c>
/// (a 10-minute resend cooldown), a <c>/v1</c> key of a service <c>keyed</c> that a test creates, a Twilio account of
/// <c>shop</c> and an admin Twilio account declared in configuration, and an admin key that issues more through
/// <c>/v1/twilio-credentials</c>.
/// </summary>
public sealed class TwilioServer() : ServerFactory(new Dictionary<string, string?>
{
    ["Services:shop:FriendlyName"] = "Shop",
    ["Services:shop:CustomCodeEnabled"] = "true",
    ["Services:shop:ResendCooldown"] = "00:00:00",
    ["Services:other:FriendlyName"] = "Other",
    ["Services:slow:ResendCooldown"] = "00:10:00",
    ["Api:ServiceKeys:keyed-app:Service"] = "keyed",
    ["Api:ServiceKeys:keyed-app:Key"] = "key-keyed-0123456789abcdefghij",
    ["Api:AdminKeys:ops"] = AdminKey,
    ["Api:TwilioAccounts:shop-app:AccountSid"] = ShopAccount,
    ["Api:TwilioAccounts:shop-app:AuthToken"] = ShopToken,
    ["Api:TwilioAccounts:shop-app:Service"] = "shop",
    ["Api:TwilioAccounts:root:AccountSid"] = RootAccount,
    ["Api:TwilioAccounts:root:AuthToken"] = RootToken,
    ["Api:TwilioAccounts:root:Admin"] = "true",
})
{
    public const string AdminKey = "key-admin-0123456789abcdefghij";
    public const string ShopAccount = "AC0123456789abcdef0123456789abcdef";
    public const string ShopToken = "shop-token-0123456789abcdef";
    public const string RootAccount = "ACfedcba9876543210fedcba9876543210";
    public const string RootToken = "root-token-0123456789abcdef";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A client sending Basic <paramref name="user"/>:<paramref name="password"/>, as Twilio's libraries do.</summary>
    public HttpClient Twilio(string user, string password)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return client;
    }

    public HttpClient Shop() => Twilio(ShopAccount, ShopToken);

    public HttpClient Admin() => Twilio(RootAccount, RootToken);

    /// <summary>Issues a credential through the admin API: <c>{service}</c>, <c>{admin: true}</c> or <c>{accountSid}</c>.</summary>
    public async Task<JsonObject> IssueAsync(object body)
    {
        using var admin = Api(AdminKey);
        var response = await admin.PostAsJsonAsync("/v1/twilio-credentials", body, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!;
    }

    /// <summary>The sid of a service, by its OtpGate id.</summary>
    public async Task<string> ServiceSidAsync(string id)
    {
        using var admin = Api(AdminKey);
        return (await admin.GetFromJsonAsync<JsonObject>($"/v1/services/{id}", Ct))!["sid"]!.GetValue<string>();
    }

    public static Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, params (string Name, string Value)[] fields) =>
        client.PostAsync(path, new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))), Ct);

    public static async Task<JsonObject> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Twilio's error body: asserts its four fields and the HTTP status; returns the message.</summary>
    public static async Task<string> ErrorAsync(HttpResponseMessage response, int code, HttpStatusCode status)
    {
        var body = await JsonAsync(response, status);
        Assert.Equal(["code", "message", "more_info", "status"], body.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal((code, (int)status, $"https://www.twilio.com/docs/errors/{code}"),
            (body["code"]!.GetValue<int>(), body["status"]!.GetValue<int>(), body["more_info"]!.GetValue<string>()));
        return body["message"]!.GetValue<string>();
    }
}
