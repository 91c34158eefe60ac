using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OtpGate.Verification.Services;

/// <summary>
/// Writes the services the configuration declares at start-up, after the migrations and before the API and workers
/// run: the default one from <c>Verification</c>, and each <c>Services:&lt;name&gt;</c>. A problem in them stops the
/// server with one sentence each.
/// </summary>
internal sealed partial class ServiceSeeder(ServiceCatalog catalog, IReadOnlyList<ServiceDeclaration> declared, IReadOnlyList<string> problems, ILogger<ServiceSeeder> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", problems));
        }

        var seeding = await catalog.SeedAsync(declared, cancellationToken);
        LogSeeded(logger, declared.Count, seeding.Changed);
        foreach (var id in seeding.Released)
        {
            LogReleased(logger, id);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Services: {Declared} declared in the configuration, {Changed} written now")]
    private static partial void LogSeeded(ILogger logger, int declared, int changed);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Service {ServiceId} is no longer declared in the configuration (Services:{ServiceId}); it stays, with its verifications, and is managed through the admin API from now on (otpgate services update|delete {ServiceId})")]
    private static partial void LogReleased(ILogger logger, string serviceId);
}
