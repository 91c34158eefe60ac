using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OtpGate.Sandbox.Messages;
using OtpGate.Sandbox.Tests.Support;

namespace OtpGate.Sandbox.Tests.Hosting;

public sealed class HostingTests
{
    [Fact]
    public async Task Sandbox_mounted_under_a_base_path_serves_api_inbox_and_messages_there()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddOneMsgSandbox(o => o.SentAfter = o.DeliveredAfter = o.ReadAfter = TimeSpan.FromMilliseconds(10));
        await using var app = builder.Build();
        app.MapGet("/", () => "the host's own page");
        app.MapOneMsgSandbox("/sandbox");
        await app.StartAsync(TestContext.Current.CancellationToken);
        var root = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var api = new SandboxApi(new Uri(root, "sandbox"));

        var sent = await api.SendAsync(Requests.Otp("12125550100", "112233"));
        var inbox = await api.GetAbsoluteAsync(new Uri(root, "sandbox/inbox").ToString());
        var messages = await api.GetAbsoluteAsync(new Uri(root, "sandbox/_sandbox/messages?phone=12125550100").ToString());
        var outside = await api.GetAbsoluteAsync(new Uri(root, "sandbox/sendTemplate").ToString());
        var hostPage = await api.GetAbsoluteAsync(root.ToString());

        Assert.True(sent.Json["sent"]!.GetValue<bool>(), sent.Text);
        Assert.Equal(HttpStatusCode.OK, inbox.Status);
        Assert.Contains("const BASE = \"/sandbox\"", inbox.Text);
        Assert.Equal("112233", messages.Json[0]!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, outside.Status);
        Assert.Equal("the host's own page", hostPage.Text);
        Assert.Equal("112233", app.Services.GetRequiredService<SandboxMessages>().GetLatestMessage("+1 212 555 0100")!.Code);
        await app.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Sandbox_options_bind_from_the_sandbox_configuration_section()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sandbox:ChannelId"] = "VID100",
            ["Sandbox:Token"] = "configured-token-123",
            ["Sandbox:Templates:0:Name"] = "registration_otp",
            ["Sandbox:Templates:0:Namespace"] = "otpgate_sandbox",
            ["Sandbox:Templates:0:Language"] = "fr",
            ["Sandbox:WebhookRetryDelays:0"] = "00:00:03",
        });
        builder.Services.AddOneMsgSandbox();
        await using var app = builder.Build();
        app.MapOneMsgSandbox();
        await app.StartAsync(TestContext.Current.CancellationToken);
        var root = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var api = new SandboxApi(root, "VID100", "configured-token-123");

        var templates = await api.GetAsync("templates");
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SandboxOptions>>().Value;

        Assert.Equal(["en", "fr"], templates.Json["templates"]!.AsArray().Select(t => t!["language"]!.GetValue<string>()));
        Assert.Equal([TimeSpan.FromSeconds(3)], options.WebhookRetryDelays!);
        await app.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Standalone_process_serves_the_api_at_the_root_and_says_where()
    {
        await using var standalone = await StandaloneSandbox.StartAsync();
        using var api = new SandboxApi(new Uri(standalone.BaseUrl));

        var sent = await api.SendAsync(Requests.Otp("12125550100"));
        var inbox = await api.GetAbsoluteAsync($"{standalone.BaseUrl}/inbox");

        Assert.True(sent.Json["sent"]!.GetValue<bool>(), sent.Text);
        Assert.Equal(HttpStatusCode.OK, inbox.Status);
        await Wait.UntilAsync(() => standalone.Output.Contains("/inbox"));
        Assert.Contains($"{standalone.BaseUrl}/sandbox/", standalone.Output);
        Assert.Contains($"{standalone.BaseUrl}/inbox", standalone.Output);

        // Its log masks the number, in its own lines and in none of ASP.NET Core's request lines (they carry ?phone=).
        await api.GetAbsoluteAsync($"{standalone.BaseUrl}/_sandbox/messages?phone=12125550100");
        await Wait.UntilAsync(() => standalone.Output.Contains("Sandbox accepted message"));
        Assert.Contains("for 12*******00 (template registration_otp/en)", standalone.Output);
        Assert.DoesNotContain("12125550100", standalone.Output);
    }
}
