using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpGate.OneMsg;
using OtpGate.OneMsg.Http;

// In the DependencyInjection namespace, like AddHttpClient, so `services.AddOneMsgClient(...)` needs no extra using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="OneMsgClient"/> with its options, validation, timeouts and retries.</summary>
public static class OneMsgServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="OneMsgClient"/> as a typed <see cref="HttpClient"/> configured in code.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets <see cref="OneMsgOptions"/>.</param>
    /// <returns>The HTTP client builder, to add handlers (they run inside the retry, once per attempt).</returns>
    public static IHttpClientBuilder AddOneMsgClient(this IServiceCollection services, Action<OneMsgOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<OneMsgOptions>().Configure(configure);
        return AddCore(services);
    }

    /// <summary>
    /// Registers <see cref="OneMsgClient"/> as a typed <see cref="HttpClient"/> bound to a configuration
    /// section, normally <c>configuration.GetSection("OneMsg")</c> (keys <c>BaseUrl</c>, <c>ChannelId</c>,
    /// <c>Token</c>, <c>AttemptTimeout</c>, <c>MaxRetries</c>, <c>RetryBaseDelay</c>, <c>MaxRetryDelay</c>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The configuration section to bind.</param>
    /// <returns>The HTTP client builder, to add handlers (they run inside the retry, once per attempt).</returns>
    public static IHttpClientBuilder AddOneMsgClient(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        services.AddOptions<OneMsgOptions>().Bind(section);
        return AddCore(services);
    }

    /// <summary>
    /// Binds <see cref="OneMsgOptions"/> from the <c>OneMsg</c> section of <paramref name="configuration"/> (the connection
    /// keys: <c>BaseUrl</c>, <c>ChannelId</c>, <c>Token</c> and the timing keys) and validates them at start-up with
    /// <see cref="OneMsgOptionsValidator"/>. Add the client itself with <see cref="AddOneMsgClient(IServiceCollection)"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The application's configuration (its root, not the section).</param>
    /// <returns>The options builder, to post-configure the options.</returns>
    public static OptionsBuilder<OneMsgOptions> AddOneMsgOptions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OneMsgOptions>, OneMsgOptionsValidator>());
        return services.AddOptions<OneMsgOptions>().Bind(configuration.GetSection(OneMsgOptions.SectionName)).ValidateOnStart();
    }

    /// <summary>
    /// Registers <see cref="OneMsgClient"/> as a typed <see cref="HttpClient"/> whose options are registered elsewhere,
    /// normally by <see cref="AddOneMsgOptions(IServiceCollection, IConfiguration)"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The HTTP client builder, to add handlers (they run inside the retry, once per attempt).</returns>
    public static IHttpClientBuilder AddOneMsgClient(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return AddCore(services);
    }

    private static IHttpClientBuilder AddCore(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OneMsgOptions>, OneMsgOptionsValidator>());
        services.AddOptions<OneMsgOptions>().ValidateOnStart();

        var builder = services.AddHttpClient<OneMsgClient>()
            .ConfigureHttpClient((provider, http) =>
            {
                // The per-attempt timeout lives in the pipeline; this outer limit only bounds a whole call,
                // retries and the time to read the body included.
                var options = provider.GetRequiredService<IOptions<OneMsgOptions>>().Value;
                http.Timeout = options.AttemptTimeout * (options.MaxRetries + 2) + options.MaxRetryDelay * options.MaxRetries;
            })
            // See OneMsgHttpLogger for why the factory's default logger is replaced; the redaction stays in case
            // a caller adds the default logger back.
            .RemoveAllLoggers()
            .AddLogger(provider => new OneMsgHttpLogger(provider.GetRequiredService<ILogger<OneMsgClient>>()))
            .RedactLoggedHeaders(["Authorization"]);
        builder.AddResilienceHandler(OneMsgResilience.PipelineName, OneMsgResilience.Configure);
        return builder;
    }
}
