using Microsoft.Extensions.Options;

namespace OtpGate.Server.Hosting;

/// <summary>
/// The host builds its hosted services, some of which read options as they are built, before it runs its own start-up
/// validation; so one wrong option would stop the start alone. Registered before every other hosted service, this one
/// runs that validation first, and every wrong option is reported at once.
/// </summary>
internal sealed class OptionsCheckFirst : IHostedService
{
    public OptionsCheckFirst(IServiceProvider services) => services.GetService<IStartupValidator>()?.Validate();

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
