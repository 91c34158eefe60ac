using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpGate.Sandbox.Messages;

namespace OtpGate.Sandbox.Sms;

/// <summary>
/// Plays an accepted SMS's life: it joins the phone's conversation in <see cref="SandboxMessages"/> (category
/// <see cref="Category"/>), then each planned status is recorded and, when the send named a <c>StatusCallback</c>,
/// posted there signed. One SMS's callbacks go one after another, so they arrive in order; like Twilio's, a callback
/// that fails is not retried.
/// </summary>
internal sealed partial class SmsDelivery(
    SandboxMessages messages,
    SmsCallbackClient callbacks,
    IOptions<SandboxOptions> options,
    TimeProvider timeProvider,
    ILogger<SmsDelivery> logger) : IHostedService, IDisposable
{
    /// <summary>The category an SMS carries in the message store, which tells it from a WhatsApp template.</summary>
    public const string Category = "SMS";

    /// <summary>Twilio's default (and longest) validity period: 36,000 seconds in its queue.</summary>
    private static readonly TimeSpan ValidityPeriod = TimeSpan.FromSeconds(36_000);

    // A host may stop its services after its container disposed them (seen when a test server is disposed), so every
    // use of the source checks _disposed under the lock.
    private readonly CancellationTokenSource _stopping = new();
    private bool _disposed;
    private readonly Lock _lock = new();
    private readonly HashSet<Task> _running = [];

    public void Accept(SmsMessage sms, SmsScenario scenario)
    {
        var first = new SandboxStatusChange(sms.FirstStatus, sms.CreatedAt);
        var code = FirstCode().Match(sms.Body) is { Success: true } match ? match.Value : null;
        messages.Add(new SandboxMessage(
            sms.Sid, sms.To[1..], "sms", "", "", Category, code is null ? [] : [code], null, sms.Body, null, null,
            ValidityPeriod, sms.CreatedAt, [first]));

        var plan = SmsScenarios.Plan(scenario, options.Value);
        lock (_lock)
        {
            _running.RemoveWhere(t => t.IsCompleted);
            if (!_disposed)
            {
                var stopping = _stopping.Token;
                _running.Add(Task.Run(() => PlayAsync(sms, plan, stopping)));
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task[] running;
        lock (_lock)
        {
            if (!_disposed)
            {
                _stopping.Cancel();
            }

            running = [.. _running];
        }

        await Task.WhenAll(running).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _stopping.Cancel();
            _stopping.Dispose();
        }
    }

    private async Task PlayAsync(SmsMessage sms, IReadOnlyList<(TimeSpan After, string Status, int? ErrorCode)> plan, CancellationToken stopping)
    {
        try
        {
            await callbacks.PostAsync(sms, sms.FirstStatus, null, stopping);
            foreach (var (after, status, errorCode) in plan)
            {
                var due = sms.CreatedAt + after;
                var wait = due - timeProvider.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, timeProvider, stopping);
                }

                // The error travels as Twilio's code; the store's error shape is Meta's, so only the code is filled.
                var error = errorCode is { } code ? new SandboxDeliveryError(code, status, "", $"Twilio error {code}") : null;
                messages.AddStatus(sms.Sid, new SandboxStatusChange(status, due, error));
                await callbacks.PostAsync(sms, status, errorCode, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping: planned statuses die with the in-memory sandbox, as the 1MSG ones do.
        }
        catch (Exception exception)
        {
            SandboxLog.PassFailed(logger, exception);
        }
    }

    [GeneratedRegex("[0-9]{4,10}")]
    private static partial Regex FirstCode();
}
