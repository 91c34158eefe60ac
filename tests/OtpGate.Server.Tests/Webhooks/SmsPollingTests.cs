using System.Net;
using System.Net.Sockets;
using OtpGate.Server.Tests.Support;
using OtpGate.Verification.Channels;

namespace OtpGate.Server.Tests.Webhooks;

/// <summary>A server whose SMS status callbacks cannot reach it (its callback base is a closed port): statuses come by polling.</summary>
public sealed class SmsWithoutCallbacksServer() : ServerFactory(
    new Dictionary<string, string?>
    {
        ["Sms:StatusCallbackBaseUrl"] = $"http://127.0.0.1:{ClosedPort()}",
        ["Verification:Dispatch:StatusPollAfter"] = "00:00:00.200",
    },
    services => services.Remove(services.First(d => d.ServiceType == typeof(ICodeChannel))))
{
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed class SmsPollingTests(SmsWithoutCallbacksServer server) : IClassFixture<SmsWithoutCallbacksServer>
{
    [Fact]
    public async Task Without_callbacks_the_engine_learns_an_SMS_s_delivery_by_asking_the_stand_in()
    {
        var id = (await server.StartAsync(server.NextPhone()))["id"]!.GetValue<string>();

        var delivered = await server.WaitForAsync(id, v => ServerFactory.Delivery(v) == "delivered");

        Assert.Matches("^SM[0-9a-f]{32}$", delivered["sends"]![0]!["messageId"]!.GetValue<string>());
        Assert.Contains(delivered["timeline"]!.AsArray(), e => e!["status"]?.GetValue<string>() == "delivered");
    }
}
