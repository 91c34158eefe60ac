using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OtpGate.Sandbox.Messages;
using OtpGate.Server.Tests.Support;

namespace OtpGate.Server.Tests.Services;

/// <summary>A configured service that names its own template for English, and a key of it.</summary>
public sealed class ServiceDeliveryServer() : ServerFactory(new Dictionary<string, string?>
{
    ["Services:shop:Templates:en"] = "shop_otp",
    ["Sandbox:Templates:0:Name"] = "shop_otp",
    ["Sandbox:Templates:0:Namespace"] = "otpgate_sandbox",
    ["Sandbox:Templates:0:Language"] = "en",
    ["Api:ServiceKeys:shop-app:Service"] = "shop",
    ["Api:ServiceKeys:shop-app:Key"] = ShopKey,
})
{
    public const string ShopKey = "key-shop-delivery-0123456789abcdef";
}

/// <summary>
/// Over HTTP, with the embedded sandbox's callbacks arriving at the webhook receiver: a service's code goes out in the
/// template it names, and its sends, deliveries, reads and failures are counted under its name on <c>/metrics</c>.
/// </summary>
public sealed class ServiceDeliveryTests(ServiceDeliveryServer server) : IClassFixture<ServiceDeliveryServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_services_code_goes_out_in_its_template_and_its_delivery_is_counted_under_its_name()
    {
        using var shop = server.Api(ServiceDeliveryServer.ShopKey);
        var shopPhone = server.NextPhone();
        var shopId = (await server.StartAsync(shopPhone, shop))["id"]!.GetValue<string>();
        var defaultPhone = server.NextPhone();
        var defaultId = (await server.StartAsync(defaultPhone))["id"]!.GetValue<string>();
        var failingId = (await server.StartAsync("+1 212 555 0101", shop))["id"]!.GetValue<string>(); // not on WhatsApp

        await WaitForAsync(shop, shopId, v => ServerFactory.Delivery(v) == "read");
        await server.WaitForAsync(defaultId, v => ServerFactory.Delivery(v) == "read");
        // Its WhatsApp message fails for good; the code then goes by SMS (the embedded default has the SMS stand-in).
        await WaitForAsync(shop, failingId, v => v["sends"]![0]!["status"]!.GetValue<string>() == "failed" && v["fallback"] is JsonObject);

        var messages = server.Services.GetRequiredService<SandboxMessages>();
        Assert.Equal("shop_otp", messages.GetLatestMessage(Digits(shopPhone))!.TemplateName);
        Assert.Equal("registration_otp", messages.GetLatestMessage(Digits(defaultPhone))!.TemplateName);
        using var client = server.CreateClient();
        var text = await client.GetStringAsync("/metrics", Ct);
        foreach (var series in new[] { "otpgate_messages_accepted_total", "otpgate_messages_delivered_total", "otpgate_messages_read_total",
                     "otpgate_messages_failed_total", "otpgate_time_to_deliver_seconds_count", "otpgate_fallbacks_total" })
        {
            Assert.Matches(series + @"\{[^}]*service=""shop""", text);
        }

        Assert.Matches(@"otpgate_messages_accepted_total\{[^}]*service=""default""", text);
    }

    private static string Digits(string phone) => new([.. phone.Where(char.IsAsciiDigit)]);

    private static async Task WaitForAsync(HttpClient client, string id, Func<JsonObject, bool> condition)
    {
        for (var i = 0; i < 300; i++)
        {
            var verification = (await client.GetFromJsonAsync<JsonObject>($"/v1/verifications/{id}", Ct))!;
            if (condition(verification))
            {
                return;
            }

            await Task.Delay(50, Ct);
        }

        Assert.Fail($"Verification {id} never got there.");
    }
}
