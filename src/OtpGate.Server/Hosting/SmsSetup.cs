using Microsoft.Extensions.Options;
using OtpGate.Channels.Sms;

namespace OtpGate.Server.Hosting;

/// <summary>Whether the server has an SMS channel, and whether it is the sandbox's Twilio stand-in (decided once at start).</summary>
public sealed record SmsMode(bool IsOn, bool IsStandIn)
{
    public static readonly SmsMode Off = new(false, false);
}

/// <summary>
/// The SMS channel: Twilio as the <c>Sms</c> section configures it; with none configured and the embedded default's
/// sandbox, the sandbox's Twilio stand-in (its account, its own number, reached in-process like its 1MSG); else, or
/// with <c>Sms:Provider=none</c>, none.
/// Its status callbacks come to <c>{base}/webhooks/sms/twilio</c>, the base being <c>Sms:StatusCallbackBaseUrl</c>, else
/// <c>OneMsg:WebhookBaseUrl</c>, else the address the server listens on.
/// </summary>
internal static class SmsSetup
{
    public static SmsMode AddSms(this IServiceCollection services, IConfiguration configuration, OneMsgMode mode)
    {
        // Before the channel's own registration, which only adds a callback URL without a fallback when none is there.
        services.AddSingleton(sp => new SmsStatusCallbackUrl(sp.GetRequiredService<IOptions<SmsOptions>>(), () => ListeningBase(sp)));
        services.AddOptions<SmsOptions>().PostConfigure<IOptions<WebhookOptions>>((sms, webhook) =>
        {
            if (string.IsNullOrWhiteSpace(sms.StatusCallbackBaseUrl) && !string.IsNullOrWhiteSpace(webhook.Value.WebhookBaseUrl))
            {
                sms.StatusCallbackBaseUrl = webhook.Value.WebhookBaseUrl;
            }
        });

        var smsMode = SmsOptions.IsTurnedOff(configuration) ? SmsMode.Off
            : services.AddSmsChannel(configuration) is not null ? new SmsMode(true, false)
            : mode.IsSandbox ? AddStandIn(services, configuration)
            : SmsMode.Off;
        services.AddSingleton(smsMode);
        return smsMode;
    }

    /// <summary>The sandbox's Twilio stand-in as the SMS provider: its account and number, reached in this very server.</summary>
    private static SmsMode AddStandIn(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSmsChannelAlways(configuration).AddHttpMessageHandler<SandboxLoopbackHandler>();
        services.PointSmsAt(SandboxLoopbackHandler.PlaceholderBaseUrl);
        return new SmsMode(true, true);
    }

    private static Uri? ListeningBase(IServiceProvider services) => services.GetService<ServerAddresses>()?.LocalRoot;

    /// <summary>The banner's line.</summary>
    public static string BannerLine(SmsMode mode, SmsOptions options, string? callbackUrl) => mode switch
    {
        { IsOn: false } => "  SMS:          off (set Sms:Twilio:AccountSid, AuthToken and From to send codes by SMS through Twilio; Sms:Provider=none keeps it off)",
        { IsStandIn: true } => $"  SMS:          on, the sandbox's Twilio stand-in (from {options.Twilio.From}; shown in the phone inbox)",
        _ => $"  SMS:          on, Twilio account {options.Twilio.AccountSid} from {Sender(options.Twilio)}; status callbacks to {callbackUrl ?? "(no public address: set Sms:StatusCallbackBaseUrl)"}",
    };

    private static string Sender(TwilioSmsOptions twilio) =>
        string.IsNullOrWhiteSpace(twilio.From) ? $"Messaging Service {twilio.MessagingServiceSid}" : twilio.From;
}
