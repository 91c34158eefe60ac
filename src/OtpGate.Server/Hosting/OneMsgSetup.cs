using Microsoft.Extensions.Options;
using OtpGate.Channels.OneMsg;
using OtpGate.Sandbox;
using OtpGate.Server.Webhooks;
using OtpGate.Verification.Storage;

namespace OtpGate.Server.Hosting;

/// <summary>
/// The 1MSG client and the webhook registration; in sandbox mode, also the sandbox (its state, delivery worker and
/// webhook client), with the client and the default template pointed at it. On a real channel the sandbox is not registered.
/// </summary>
internal static class OneMsgSetup
{
    public static IServiceCollection AddOneMsg(this IServiceCollection services, IConfiguration configuration, OneMsgMode mode)
    {
        var client = services.AddOneMsgClient();
        services.AddOneMsgChannel(configuration);
        if (mode.IsSandbox)
        {
            AddSandbox(services, client);
        }

        services.AddSingleton<WebhookRegistration>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookRegistration>());
        return services;
    }

    /// <summary>The embedded default's 1MSG: its options bind from the <c>Sandbox</c> section; the app maps it at <see cref="OneMsgMode.SandboxPath"/>.</summary>
    private static void AddSandbox(IServiceCollection services, IHttpClientBuilder client)
    {
        services.AddOneMsgSandbox();

        // The inbox's messages are kept with the server's data, so the phone still shows the code after a restart.
        services.AddOptions<SandboxOptions>().PostConfigure<IOptions<StorageOptions>>((sandbox, storage) =>
            sandbox.DataFolder ??= storage.Value.DataDirectory);
        services.AddTransient<SandboxLoopbackHandler>();
        client.AddHttpMessageHandler<SandboxLoopbackHandler>();
        services.PointOneMsgAt(SandboxLoopbackHandler.PlaceholderBaseUrl);
    }
}
