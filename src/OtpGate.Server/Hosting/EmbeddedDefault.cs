using Microsoft.Extensions.Options;
using OtpGate.Channels.OneMsg.Templates;
using OtpGate.Channels.Sms;
using OtpGate.OneMsg;
using OtpGate.Sandbox;
using OtpGate.Sandbox.Templates;

namespace OtpGate.Server.Hosting;

/// <summary>
/// The embedded default's 1MSG as a client sees it: the sandbox mounted at <see cref="OneMsgMode.SandboxPath"/>, its
/// channel id and token (the <c>Sandbox</c> section), and its approved authentication template unless one is
/// configured. The server points its own client at it; <c>otpgate</c> points its client at the running server's.
/// </summary>
public static class EmbeddedDefault
{
    /// <summary>Where the server listens unless told otherwise, and where <c>otpgate</c> looks for it.</summary>
    public const string ServerUrl = "http://localhost:5080";

    /// <summary>The sandbox's 1MSG API address on a server whose root is <paramref name="serverRoot"/>.</summary>
    public static Uri SandboxApi(Uri serverRoot)
    {
        ArgumentNullException.ThrowIfNull(serverRoot);
        return new Uri(serverRoot.GetLeftPart(UriPartial.Authority) + OneMsgMode.SandboxPath);
    }

    /// <summary>
    /// Points the 1MSG client and the default template at the sandbox's API at <paramref name="apiAddress"/>. The
    /// <see cref="SandboxOptions"/> must be registered (the sandbox does it; a client binds them itself).
    /// </summary>
    public static IServiceCollection PointOneMsgAt(this IServiceCollection services, Uri apiAddress)
    {
        services.AddOptions<OneMsgOptions>().PostConfigure<IOptions<SandboxOptions>>((options, sandbox) =>
        {
            options.BaseUrl = apiAddress;
            options.ChannelId = sandbox.Value.ChannelId;
            options.Token = sandbox.Value.Token;
        });

        // The sandbox's approved authentication template, unless one is configured.
        services.AddOptions<TemplateOptions>().PostConfigure(options =>
        {
            if (string.IsNullOrWhiteSpace(options.Template.Name))
            {
                var template = SandboxTemplate.DefaultAuthentication();
                options.Template = new TemplateSettings { Name = template.Name, Namespace = template.Namespace, Language = template.Language };
            }
        });
        return services;
    }

    /// <summary>
    /// Points the SMS channel at the sandbox's Twilio stand-in under <paramref name="apiAddress"/> (the same base as its
    /// 1MSG API): its account, its auth token and its own number. The <see cref="SandboxOptions"/> must be registered.
    /// </summary>
    public static IServiceCollection PointSmsAt(this IServiceCollection services, Uri apiAddress)
    {
        services.AddOptions<SmsOptions>().PostConfigure<IOptions<SandboxOptions>>((sms, sandbox) =>
        {
            sms.Provider = SmsOptions.TwilioProvider;
            sms.Twilio.BaseUrl = apiAddress;
            sms.Twilio.AccountSid = sandbox.Value.Sms.AccountSid;
            sms.Twilio.AuthToken = sandbox.Value.Sms.AuthToken;
            sms.Twilio.ApiKeySid = null;
            sms.Twilio.ApiKeySecret = null;
            sms.Twilio.From = sandbox.Value.Sms.From;
            sms.Twilio.MessagingServiceSid = null;
        });
        return services;
    }

    /// <summary>The token as a banner may show it: the well-known default in full, a configured one never.</summary>
    public static string PrintableToken(SandboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Token == SandboxOptions.DefaultToken ? options.Token : "as configured in Sandbox:Token";
    }
}
