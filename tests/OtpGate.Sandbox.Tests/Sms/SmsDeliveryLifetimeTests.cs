using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OtpGate.Sandbox.Sms;

namespace OtpGate.Sandbox.Tests.Sms;

public sealed class SmsDeliveryLifetimeTests
{
    // A host may stop its hosted services after its container disposed them (a test server's disposal did, and the
    // stop threw ObjectDisposedException): stopping then must neither throw nor wait for anything.
    [Fact]
    public async Task Stopping_after_the_container_disposed_the_delivery_does_not_throw()
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddOneMsgSandbox();
        SmsDelivery delivery;
        await using (var provider = services.BuildServiceProvider())
        {
            delivery = provider.GetRequiredService<SmsDelivery>();
            await delivery.StartAsync(TestContext.Current.CancellationToken);
        }

        await delivery.StopAsync(TestContext.Current.CancellationToken);
    }
}
