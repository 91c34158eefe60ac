using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace OtpGate.Verification.Events;

public static class EventsServiceCollectionExtensions
{
    /// <summary>
    /// Adds events to the integrating application: the <c>Events</c> section (checked at start), the endpoints (the
    /// configured ones written at start, after the migrations), and the dispatcher that delivers them.
    /// </summary>
    internal static IServiceCollection AddOtpGateEvents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EventOptions>().Bind(configuration.GetSection(EventOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EventOptions>, EventOptionsValidator>());
        services.AddSingleton<EventSignal>();
        services.AddSingleton<EventMetrics>();
        services.AddSingleton<EventEndpoints>();
        services.AddSingleton<EventHistory>();
        services.AddSingleton<EventDispatcher>();
        services.AddHostedService<EventEndpointSeeder>();
        services.AddHostedService(sp => sp.GetRequiredService<EventDispatcher>());
        return services;
    }
}

/// <summary>Writes the configured endpoints at start (registered after the migrations run).</summary>
internal sealed class EventEndpointSeeder(EventEndpoints endpoints, IOptions<EventOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => endpoints.SeedAsync(options.Value.Endpoints, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
