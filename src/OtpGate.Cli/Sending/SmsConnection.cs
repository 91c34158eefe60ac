using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OtpGate.Channels.Sms;
using OtpGate.Channels.Sms.Twilio;
using OtpGate.Sandbox;
using OtpGate.Server.Hosting;

namespace OtpGate.Cli.Sending;

/// <summary>
/// The SMS channel as the server would have it, for <c>otpgate send --channel sms</c> and <c>otpgate doctor</c>: Twilio
/// as the <c>Sms</c> section configures it; with none and the embedded default, the Twilio stand-in of the OtpGate server
/// at <c>OTPGATE_SERVER_URL</c> (its sandbox). The command's own sends ask for no status callback: nothing of them is
/// the server's to follow.
/// </summary>
internal sealed class SmsConnection : IDisposable
{
    private readonly ServiceProvider _services;

    private SmsConnection(ServiceProvider services, bool isStandIn)
    {
        _services = services;
        IsStandIn = isStandIn;
    }

    public bool IsStandIn { get; }

    public SmsChannel Channel => _services.GetRequiredService<SmsChannel>();

    public TwilioMessagingClient Client => _services.GetRequiredService<TwilioMessagingClient>();

    /// <summary>The options, validated: a mistake is a usage error with the server's own sentences.</summary>
    public SmsOptions Options
    {
        get
        {
            try
            {
                return _services.GetRequiredService<IOptions<SmsOptions>>().Value;
            }
            catch (OptionsValidationException e)
            {
                throw CliException.Usage("The SMS channel is not configured right: " + string.Join(" ", e.Failures));
            }
        }
    }

    /// <summary>The SMS channel the server would have, or null when it would have none.</summary>
    public static SmsConnection? Open(CommandContext context)
    {
        var configured = SmsOptions.IsConfigured(context.Configuration);
        if (SmsOptions.IsTurnedOff(context.Configuration) || (!configured && !context.Mode.IsSandbox))
        {
            return null;
        }

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(context.Time);
        services.AddSingleton(sp => new SmsStatusCallbackUrl(Microsoft.Extensions.Options.Options.Create(new SmsOptions()), () => null));
        services.AddSmsChannelAlways(context.Configuration);
        if (!configured)
        {
            services.AddOptions<SandboxOptions>().Bind(context.Configuration.GetSection(SandboxOptions.SectionName));
            services.PointSmsAt(EmbeddedDefault.SandboxApi(context.ServerUrl()));
        }

        return new SmsConnection(services.BuildServiceProvider(), !configured);
    }

    /// <summary>The sender in words: the number, or the Messaging Service.</summary>
    public string Sender => Options.Twilio switch
    {
        { From: { Length: > 0 } from } => from,
        var twilio => $"Messaging Service {twilio.MessagingServiceSid}",
    };

    public void Dispose() => _services.Dispose();
}
