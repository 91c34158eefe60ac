using Microsoft.Extensions.Options;
using OtpGate.OneMsg;
using OtpGate.OneMsg.Channel;
using OtpGate.Server.Hosting;

namespace OtpGate.Server.Webhooks;

/// <summary>
/// On start (<c>OneMsg:RegisterWebhook</c>, on by default with the sandbox): once the server listens, adds this server's
/// webhook URL to the channel's list, keeping every other URL, and turns delivery statuses on (<c>ackNotificationsOn</c>).
/// Failures are retried a few times and are never fatal: without the webhook, statuses come from polling.
/// </summary>
internal sealed class WebhookRegistration(
    IHostApplicationLifetime lifetime,
    OneMsgMode mode,
    IOptions<WebhookOptions> options,
    WebhookSecret secret,
    ServerAddresses addresses,
    IServiceProvider services,
    ILogger<WebhookRegistration> logger) : BackgroundService
{
    private readonly TaskCompletionSource<bool> _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True once registered; false when skipped or given up.</summary>
    public Task<bool> Completion => _completed.Task;

    public bool Enabled => options.Value.RegisterWebhook ?? mode.IsSandbox;

    /// <summary>The full webhook URL (secret included): never log it.</summary>
    public string? WebhookUrl()
    {
        var root = options.Value.WebhookBaseUrl is { Length: > 0 } configured ? configured.TrimEnd('/') : addresses.LocalRoot?.ToString().TrimEnd('/');
        return root is null ? null : $"{root}/webhooks/1msg/{secret.Value}";
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            ServerLog.WebhookRegistrationSkipped(logger, "OneMsg:RegisterWebhook is off; register the webhook URL in the 1MSG dashboard yourself");
            _completed.TrySetResult(false);
            return;
        }

        try
        {
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            {
                await started.Task.WaitAsync(stoppingToken);
            }

            _completed.TrySetResult(await RegisterAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
            _completed.TrySetResult(false);
        }
    }

    private async Task<bool> RegisterAsync(CancellationToken stoppingToken)
    {
        var client = services.GetRequiredService<OneMsgClient>();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            try
            {
                var url = WebhookUrl() ?? throw new InvalidOperationException("the server's address is not known yet");
                var list = await client.AddWebhookUrlAsync(url, stoppingToken);
                await client.UpdateSettingsAsync(new ChannelSettingsUpdate { AckNotificationsOn = true }, stoppingToken);
                ServerLog.WebhookRegistered(logger, list.Count);
                return true;
            }
            catch (Exception e) when (e is OneMsgException or HttpRequestException or InvalidOperationException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
            {
                ServerLog.WebhookRegistrationFailed(logger, attempt, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)), stoppingToken);
            }
        }

        return false;
    }
}
