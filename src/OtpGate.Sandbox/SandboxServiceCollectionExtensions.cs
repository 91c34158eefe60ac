using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OtpGate.Sandbox;
using OtpGate.Sandbox.Access;
using OtpGate.Sandbox.Api;
using OtpGate.Sandbox.Delivery;
using OtpGate.Sandbox.Messages;
using OtpGate.Sandbox.Sms;
using OtpGate.Sandbox.Templates;
using OtpGate.Sandbox.Webhooks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the 1MSG sandbox.</summary>
public static class SandboxServiceCollectionExtensions
{
    /// <summary>
    /// Adds the sandbox's state, delivery worker and webhook client. Options bind from the
    /// <c>Sandbox</c> configuration section, then <paramref name="configure"/> runs; they are validated
    /// at start. Uses the registered <see cref="TimeProvider"/> (the system clock when none is). Once mapped, the sandbox
    /// keeps the host from starting on an address beyond loopback unless <see cref="SandboxOptions.AllowRemoteAccess"/>.
    /// </summary>
    public static IServiceCollection AddOneMsgSandbox(this IServiceCollection services, Action<SandboxOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<SandboxOptions>().BindConfiguration(SandboxOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SandboxOptions>, SandboxOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SandboxMessages>();
        services.TryAddSingleton<TemplateCatalog>();
        services.TryAddSingleton<TokenCheck>();
        services.TryAddSingleton<TokenBucket>();
        services.TryAddSingleton<ChannelProfile>();
        services.TryAddSingleton<DeliveryScheduler>();
        services.TryAddSingleton<DeliverySimulator>();
        services.TryAddSingleton<WebhookRegistry>();
        services.TryAddSingleton<WebhookDispatcher>();
        services.TryAddSingleton<SendTemplateEndpoint>();
        services.TryAddSingleton<SandboxMount>();
        services.AddHostedService<DeliveryWorker>();
        services.TryAddSingleton<SmsCallbackClient>();
        services.TryAddSingleton<SmsDelivery>();
        services.AddHostedService(provider => provider.GetRequiredService<SmsDelivery>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SandboxExposureGuard>());
        services.AddHttpClient(WebhookDispatcher.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        return services;
    }
}
