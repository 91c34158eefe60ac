using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpGate.Channels.Sms.Twilio;
using OtpGate.Verification.Channels;

namespace OtpGate.Channels.Sms;

public static class SmsChannelServiceCollectionExtensions
{
    /// <summary>
    /// Adds SMS as a channel of the engine when the <c>Sms</c> section asks for one (<see cref="SmsOptions.IsConfigured"/>):
    /// the options, validated at start-up, the Twilio client and <see cref="SmsChannel"/>. Returns the client's builder
    /// (to add handlers), or null when SMS is not configured and nothing was registered. Register it after the default
    /// channel: the engine's default channel is the first registered.
    /// </summary>
    public static IHttpClientBuilder? AddSmsChannel(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return SmsOptions.IsConfigured(configuration) ? services.AddSmsChannelAlways(configuration) : null;
    }

    /// <summary>Adds the SMS channel whatever the configuration says (a host that points it at a stand-in itself).</summary>
    public static IHttpClientBuilder AddSmsChannelAlways(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSmsOptions(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new SmsStatusCallbackUrl(sp.GetRequiredService<IOptions<SmsOptions>>(), () => null));
        var builder = services.AddHttpClient<TwilioMessagingClient>()
            .ConfigureHttpClient((provider, http) =>
            {
                // The per-attempt timeout is in the pipeline; this bounds a whole call, retries included.
                var twilio = provider.GetRequiredService<IOptions<SmsOptions>>().Value.Twilio;
                http.Timeout = twilio.AttemptTimeout * (twilio.MaxRetries + 2) + twilio.MaxRetryDelay * twilio.MaxRetries;
            })
            .RemoveAllLoggers()
            .AddLogger(provider => new TwilioHttpLogger(provider.GetRequiredService<ILogger<TwilioMessagingClient>>()));
        builder.AddResilienceHandler(TwilioResilience.PipelineName, TwilioResilience.Configure);
        services.AddSingleton<SmsChannel>();
        services.AddSingleton<ICodeChannel>(sp => sp.GetRequiredService<SmsChannel>());
        return builder;
    }

    /// <summary>Binds <see cref="SmsOptions"/> from the <c>Sms</c> section and validates them at start-up.</summary>
    public static OptionsBuilder<SmsOptions> AddSmsOptions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SmsOptions>, SmsOptionsValidator>());
        return services.AddOptions<SmsOptions>().Bind(configuration.GetSection(SmsOptions.SectionName)).ValidateOnStart();
    }
}
