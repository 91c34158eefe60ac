using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OtpGate.OneMsg;

namespace OtpGate.Channels.OneMsg.Templates;

/// <summary>The one binding of <see cref="TemplateOptions"/>: the <c>Template</c> and <c>Templates</c> keys of the <c>OneMsg</c> section.</summary>
public static class TemplateOptionsSetup
{
    public static OptionsBuilder<TemplateOptions> AddTemplateOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TemplateOptions>, TemplateOptionsValidator>());
        return services.AddOptions<TemplateOptions>().Bind(configuration.GetSection(OneMsgOptions.SectionName)).ValidateOnStart();
    }
}
