using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpGate.Sandbox.Webhooks;

namespace OtpGate.Sandbox.Sms;

/// <summary>Posts one status callback, form-encoded and signed with <c>X-Twilio-Signature</c>; a failure is logged, not retried.</summary>
internal sealed class SmsCallbackClient(
    IHttpClientFactory httpClientFactory,
    IOptions<SandboxOptions> options,
    TimeProvider timeProvider,
    ILogger<SmsCallbackClient> logger)
{
    public async Task PostAsync(SmsMessage sms, string status, int? errorCode, CancellationToken stopping)
    {
        if (sms.StatusCallback is not { } url || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return;
        }

        var form = sms.CallbackForm(status, errorCode);
        using var timeout = new CancellationTokenSource(options.Value.WebhookTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stopping);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioCallbackSignature.HeaderName, TwilioCallbackSignature.Compute(options.Value.Sms.AuthToken, url, form));
        try
        {
            using var response = await httpClientFactory.CreateClient(WebhookDispatcher.HttpClientName).SendAsync(request, linked.Token);
            if (!response.IsSuccessStatusCode)
            {
                SandboxLog.CallbackFailed(logger, url, 1, $"HTTP {(int)response.StatusCode}");
            }
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            SandboxLog.CallbackFailed(logger, url, 1, "No answer in time");
        }
        catch (HttpRequestException exception)
        {
            SandboxLog.CallbackFailed(logger, url, 1, $"Request failed: {exception.HttpRequestError}");
        }
    }
}
