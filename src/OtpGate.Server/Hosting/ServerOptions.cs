using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OtpGate.Channels.OneMsg.Templates;
using OtpGate.Channels.Sms;
using OtpGate.OneMsg;
using OtpGate.Verification;
using OtpGate.Verification.Storage;

namespace OtpGate.Server.Hosting;

/// <summary>
/// The options the server validates at start-up, and the same check for <c>otpgate doctor</c>, so the two can never
/// disagree. Each options class is bound and validated once, by its owner: the engine's registration binds
/// <c>Verification</c>, <c>Storage</c>, <c>Security</c> and <c>Fraud</c>; the 1MSG channel's the <c>OneMsg</c> template keys; the 1MSG client's binds
/// the <c>OneMsg</c> connection keys; the SMS channel's the <c>Sms</c> keys; this class binds the server's own (<c>Api</c>, the <c>OneMsg</c> webhook keys).
/// </summary>
public static class ServerOptions
{
    /// <summary>The server's own options, and the 1MSG connection options, each validated at start-up.</summary>
    public static IServiceCollection AddServerOptions(this IServiceCollection services, IConfiguration configuration, OneMsgMode mode)
    {
        services.AddSingleton(mode);
        services.AddOneMsgOptions(configuration);

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>());
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(OneMsgOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiOptions>, TwilioVerify.TwilioAccountsValidator>());
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.SectionName)).ValidateOnStart();

        // The SMS channel's options, when the configuration asks for one (the sandbox's stand-in needs none).
        if (SmsOptions.IsConfigured(configuration))
        {
            services.AddSmsOptions(configuration);
        }

        // Storage is bound and validated by the engine (AddOtpGateVerification); checked at start-up here too.
        services.AddOptions<StorageOptions>().ValidateOnStart();
        return services;
    }

    /// <summary>
    /// The registrations a server on <paramref name="mode"/> validates at start-up (the engine's and the server's), in a
    /// provider that starts nothing: read options from it, or <see cref="Problems"/> to run the start-up check.
    /// <paramref name="more"/> adds services first (a clock, the 1MSG client).
    /// </summary>
    public static ServiceProvider BuildChecked(IConfiguration configuration, OneMsgMode mode, Action<IServiceCollection>? more = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(configuration);
        more?.Invoke(services);
        services.AddOtpGateVerification(configuration);
        services.AddTemplateOptions(configuration);
        services.AddServerOptions(configuration, mode);
        return services.BuildServiceProvider();
    }

    /// <summary>The server's start-up check: the sentences it would stop with, none when every option is valid.</summary>
    public static IReadOnlyList<string> Problems(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
            return [];
        }
        catch (Exception e) when (ServerConfiguration.Problems(e) is { } problems)
        {
            return problems;
        }
    }

    /// <summary>The options as configured, without validating them (a value of the wrong type still throws).</summary>
    public static T Configured<T>(IServiceProvider services)
        where T : class =>
        new OptionsFactory<T>(services.GetServices<IConfigureOptions<T>>(), services.GetServices<IPostConfigureOptions<T>>()).Create(Options.DefaultName);
}
