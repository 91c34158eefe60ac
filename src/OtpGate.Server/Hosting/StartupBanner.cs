using Microsoft.Extensions.Options;
using OtpGate.Channels.Sms;
using OtpGate.OneMsg;
using OtpGate.Sandbox;
using OtpGate.Server.Api;
using OtpGate.Server.Webhooks;
using OtpGate.Verification.Storage;

namespace OtpGate.Server.Hosting;

/// <summary>Once the server listens, prints a few lines saying where everything is, and the development API key when it was just generated.</summary>
internal sealed class StartupBanner(
    IHostApplicationLifetime lifetime,
    OneMsgMode mode,
    ServerAddresses addresses,
    ApiKeyStore keys,
    IOptions<ApiOptions> api,
    WebhookSecret webhookSecret,
    IOptions<StorageOptions> storage,
    IOptions<OneMsgOptions> oneMsg,
    IOptions<WebhookOptions> webhook,
    IOptions<SandboxOptions> sandbox,
    SmsMode sms,
    IOptions<SmsOptions> smsOptions,
    SmsStatusCallbackUrl smsCallback,
    IOptions<OtpGate.Verification.Fraud.FraudOptions> fraud,
    BannerWriter output) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => output.WriteLines(Lines()));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal IEnumerable<string> Lines()
    {
        var root = (addresses.LocalRoot?.ToString() ?? "http://localhost:5080/").TrimEnd('/');
        var data = Path.GetFullPath(storage.Value.DataDirectory);
        yield return mode.IsSandbox
            ? "OtpGate is running with the built-in 1MSG sandbox: codes go to the sandbox's phone inbox, not to WhatsApp."
            : $"OtpGate is running against 1MSG at {oneMsg.Value.BaseUrl} (channel {oneMsg.Value.ChannelId}).";
        yield return $"  Sign up:      {root}/";
        if (mode.IsSandbox)
        {
            yield return $"  Phone inbox:  {root}{OneMsgMode.SandboxPath}/inbox";
            yield return $"  1MSG API:     {root}{OneMsgMode.SandboxPath}   (channel {sandbox.Value.ChannelId}, token {EmbeddedDefault.PrintableToken(sandbox.Value)};"
                + " otpgate uses it when no OneMsg key is set)";
        }

        yield return SmsSetup.BannerLine(sms, smsOptions.Value, smsCallback.Value);
        yield return fraud.Value.Enabled ? "  Fraud guard:  on (otpgate fraud status)"
            : mode.IsSandbox ? "  Fraud guard:  off in the sandbox (Fraud:Enabled=true turns it on)" : "  Fraud guard:  off (Fraud:Enabled=false)";
        yield return $"  API docs:     {root}/docs   (OpenAPI: {root}/openapi/v1.json)";
        yield return $"  Operations:   {root}/metrics  {root}/healthz  {root}/readyz";
        yield return $"  Data:         {data}";
        if (!mode.IsSandbox)
        {
            var baseUrl = webhook.Value.WebhookBaseUrl?.TrimEnd('/') ?? "<OneMsg:WebhookBaseUrl>";
            yield return $"  Webhook:      {baseUrl}/webhooks/1msg/<secret: {(webhookSecret.File is { } file ? "in " + file : "OneMsg:WebhookSecret")}>";
        }

        if (keys.DevelopmentKeyFile is null)
        {
            var label = "  API keys:     ";
            foreach (var kind in KeyKinds(api.Value))
            {
                yield return label + kind;
                label = new string(' ', label.Length);
            }
        }
        else if (keys.TakeGeneratedKey() is { } generated)
        {
            yield return $"  API key:      {generated}";
            yield return $"                (development key, shown only now; only its SHA-256 is kept in {keys.DevelopmentKeyFile}.";
            yield return "                 Lost it? Delete that file and restart for a new one, or configure Api:Keys:<name>.)";
        }
        else
        {
            yield return $"  API key:      the development key printed on the first start (its SHA-256 is in {keys.DevelopmentKeyFile};";
            yield return "                delete that file and restart to get a new one, or configure Api:Keys:<name>).";
        }
    }

    /// <summary>One line per kind of key configured: the names (never the keys), and what that kind may do.</summary>
    private static IEnumerable<string> KeyKinds(ApiOptions options)
    {
        const string Api = ApiOptions.SectionName;
        if (options.Keys.Count > 0)
        {
            yield return $"configured in {Api}:Keys ({Names(options.Keys.Keys)}): verifications of the default service";
        }

        if (options.ServiceKeys.Count > 0)
        {
            var named = options.ServiceKeys.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} for {k.Value.Service}");
            yield return $"{Api}:ServiceKeys ({string.Join(", ", named)}): verifications of that service only";
        }

        if (options.AdminKeys.Count > 0)
        {
            yield return $"{Api}:AdminKeys ({Names(options.AdminKeys.Keys)}): manage services at /v1/services (otpgate services); no verifications";
        }
    }

    private static string Names(IEnumerable<string> names) => string.Join(", ", names.Order(StringComparer.Ordinal));
}
