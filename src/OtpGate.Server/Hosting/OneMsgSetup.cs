using Microsoft.Extensions.Options;
using OtpGate.OneMsg;
using OtpGate.Sandbox;
using OtpGate.Sandbox.Templates;
using OtpGate.Server.Webhooks;
using OtpGate.Channels.OneMsg;
using OtpGate.Channels.OneMsg.Templates;

namespace OtpGate.Server.Hosting;

/// <summary>The 1MSG client, pointed at the in-process sandbox unless the <c>OneMsg</c> section names a real channel; and the webhook registration.</summary>
internal static class OneMsgSetup
{
    public static IServiceCollection AddOneMsg(this IServiceCollection services, IConfiguration configuration)
    {
        // The sandbox's services are cheap and idle when it is not mounted; its options bind from the Sandbox section.
        services.AddOneMsgSandbox();
        services.AddTransient<SandboxLoopbackHandler>();
        services.AddOneMsgClient(configuration.GetSection(OneMsgOptions.SectionName)).AddHttpMessageHandler<SandboxLoopbackHandler>();
        services.AddOneMsgChannel(configuration);
        services.AddOptions<OneMsgOptions>().PostConfigure<OneMsgMode, IOptions<SandboxOptions>>((options, mode, sandbox) =>
        {
            if (mode.IsSandbox)
            {
                options.BaseUrl = SandboxLoopbackHandler.PlaceholderBaseUrl;
                options.ChannelId = sandbox.Value.ChannelId;
                options.Token = sandbox.Value.Token;
            }
        });

        // The sandbox's approved authentication template, unless one is configured.
        services.AddOptions<TemplateOptions>().PostConfigure<OneMsgMode>((options, mode) =>
        {
            if (mode.IsSandbox && string.IsNullOrWhiteSpace(options.Template.Name))
            {
                var template = SandboxTemplate.DefaultAuthentication();
                options.Template = new TemplateSettings { Name = template.Name, Namespace = template.Namespace, Language = template.Language };
            }
        });

        services.AddSingleton<WebhookRegistration>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookRegistration>());
        return services;
    }
}
