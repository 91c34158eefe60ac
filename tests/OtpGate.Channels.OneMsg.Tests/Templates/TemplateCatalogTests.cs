using OtpGate.Channels.OneMsg.Templates;
using OtpGate.OneMsg.Templates;
using OtpGate.Verification.Channels;

namespace OtpGate.Channels.OneMsg.Tests.Templates;

/// <summary>
/// Which template a service's name for a locale becomes on the wire: only the name is the service's; the namespace and
/// language are the channel's for that locale.
/// </summary>
public sealed class TemplateCatalogTests
{
    private static readonly TemplateCatalog Catalog = new(new TemplateOptions
    {
        Template = new() { Name = "registration_otp", Namespace = "ns_main", Language = "en" },
        Templates = new(StringComparer.OrdinalIgnoreCase)
        {
            ["es"] = new() { Name = "registro_otp" },
            ["pt"] = new() { Name = "registro_pt", Language = "pt_BR" },
        },
    });

    private static readonly Dictionary<string, string> ShopTemplates = new() { ["en"] = "shop_otp", ["pt-BR"] = "shop_pt", ["es"] = "shop_es", ["fr"] = "shop_fr" };

    [Theory]
    [InlineData("en", "shop_otp", "ns_main", "en")]          // the default template's language: its namespace and language
    [InlineData("en_US", "shop_otp", "ns_main", "en")]       // named for the language only
    [InlineData("es-MX", "shop_es", "ns_main", "es")]        // a configured locale: its namespace (the default's) and language
    [InlineData("fr", "shop_fr", "ns_main", "fr")]           // no configuration for the locale: the locale is the language
    [InlineData("pt_br", "shop_pt", "ns_main", "pt_BR")]     // the service's own spelling of the locale, normalised
    public void A_services_template_gets_the_namespace_and_language_of_its_locale(string locale, string name, string ns, string language)
    {
        var named = NamedTemplate.For(ShopTemplates, locale);

        Assert.NotNull(named);
        Assert.Equal(new TemplateReference(name, ns, language), Catalog.Resolve(named));
    }

    [Theory]
    [InlineData("de")]
    [InlineData("")]
    public void A_locale_the_service_does_not_name_is_left_to_the_channels_configuration(string locale) =>
        Assert.Null(NamedTemplate.For(ShopTemplates, locale));

    [Fact]
    public void A_service_with_no_templates_names_none_and_a_blank_name_is_none() =>
        Assert.Null(NamedTemplate.For(new Dictionary<string, string>(), "en") ?? NamedTemplate.For(new Dictionary<string, string> { ["en"] = " " }, "en"));
}
