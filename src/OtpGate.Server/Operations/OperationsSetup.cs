using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OtpGate.Server.Logging;
using OtpGate.Verification.Telemetry;

namespace OtpGate.Server.Operations;

/// <summary>Health, readiness, Prometheus metrics, redacted logs, and a shutdown long enough for in-flight sends to finish.</summary>
internal static class OperationsSetup
{
    public static IServiceCollection AddOperations(this IServiceCollection services)
    {
        services.AddSingleton<ChannelProbe>();
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<ChannelHealthCheck>("1msg", failureStatus: HealthStatus.Degraded, tags: ["ready"]);

        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(VerificationMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddPrometheusExporter());

        // Every logger redacts the webhook secret, message ids and phone numbers in URLs from messages, structured values and scopes (see LogRedaction).
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new RedactingLoggerFactory(new LoggerFactory(
            sp.GetServices<ILoggerProvider>(),
            sp.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
            sp.GetService<IOptions<LoggerFactoryOptions>>(),
            new RedactingScopeProvider(new LoggerExternalScopeProvider())))));

        // Stopping waits for the outbox dispatcher to finish the sends it has in flight.
        services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(30));
        return services;
    }

    public static IEndpointRouteBuilder MapOperations(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthReportWriter.WriteAsync });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready"), ResponseWriter = HealthReportWriter.WriteAsync });
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
