using Microsoft.Extensions.Options;
using OtpGate.Server.Hosting;
using OtpGate.Verification.Services;

namespace OtpGate.Server.Services;

/// <summary>
/// Once every hosted service has started (so the configuration's services are written), warns once per
/// <c>Api:ServiceKeys:&lt;name&gt;</c> whose service neither the configuration declares nor the database holds: such a key
/// authenticates, but each start it makes is refused (403 <c>service_not_found</c>) until the service exists.
/// A warning rather than a refusal to start: the service may be created through the admin API right after.
/// </summary>
internal sealed partial class ServiceKeysCheck(IOptions<ApiOptions> api, ServiceCatalog catalog, ILogger<ServiceKeysCheck> logger) : IHostedLifecycleService
{
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        if (api.Value.ServiceKeys.Count == 0)
        {
            return;
        }

        var stored = (await catalog.ListAsync(cancellationToken)).Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, key) in api.Value.ServiceKeys.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            if (!stored.Contains(key.Service))
            {
                LogMissing(logger, name, key.Service);
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Api:ServiceKeys:{KeyName}:Service names service {ServiceId}, which is neither declared in the configuration nor stored; "
            + "this key's starts are refused (403 service_not_found) until it exists: create it (otpgate services create {ServiceId}) or point the key at another service")]
    private static partial void LogMissing(ILogger logger, string keyName, string serviceId);
}
