using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OtpGate.Channels.OneMsg.Templates;
using OtpGate.Verification.Channels;

namespace OtpGate.Channels.OneMsg;

public static class OneMsgChannelServiceCollectionExtensions
{
    /// <summary>
    /// Adds 1MSG as a channel of the engine, with its templates bound from the <c>OneMsg</c> section
    /// (<c>OneMsg:Template</c>, <c>OneMsg:Templates:&lt;locale&gt;</c>). The host registers the client itself with
    /// <c>AddOneMsgClient</c>, pointed where it wants (a real channel, the sandbox).
    /// </summary>
    public static IServiceCollection AddOneMsgChannel(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddTemplateOptions(configuration);
        services.AddSingleton(sp => new TemplateCatalog(sp.GetRequiredService<IOptions<TemplateOptions>>().Value));
        services.AddSingleton(sp => new OneMsgChannel(
            new Lazy<OtpGate.OneMsg.OneMsgClient>(sp.GetRequiredService<OtpGate.OneMsg.OneMsgClient>), sp.GetRequiredService<TemplateCatalog>()));
        services.AddSingleton<ICodeChannel>(sp => sp.GetRequiredService<OneMsgChannel>());
        return services;
    }
}
