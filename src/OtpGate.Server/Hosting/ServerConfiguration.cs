using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OtpGate.Sandbox;
using OtpGate.Server.Api;
using OtpGate.Server.Webhooks;
using OtpGate.Verification.Storage;

namespace OtpGate.Server.Hosting;

/// <summary>The server's own configuration: the embedded default's URL, options with start-up validation, generated secrets, the banner.</summary>
internal static class ServerConfiguration
{
    public const string DefaultUrl = "http://localhost:5080";

    /// <summary>Listens on <see cref="DefaultUrl"/> unless <c>--urls</c>, <c>URLS</c>/<c>ASPNETCORE_URLS</c>, <c>HTTP_PORTS</c> or Kestrel endpoints say otherwise.</summary>
    public static void UseDefaultUrl(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (string.IsNullOrEmpty(configuration[WebHostDefaults.ServerUrlsKey])
            && string.IsNullOrEmpty(configuration["http_ports"])
            && string.IsNullOrEmpty(configuration["https_ports"])
            && !configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
    }

    /// <summary>
    /// The options checked at start-up (<see cref="ServerOptions"/>), the generated secrets and the banner. The secrets
    /// are read from the data directory when first needed.
    /// </summary>
    public static IServiceCollection AddServerConfiguration(this IServiceCollection services, IConfiguration configuration, OneMsgMode mode)
    {
        services.AddServerOptions(configuration, mode);
        services.AddHostedService<OptionsCheckFirst>();
        services.AddSingleton(sp => OwnerOnly(sp, WebhookSecret.Load(
            sp.GetRequiredService<IOptions<WebhookOptions>>().Value, sp.GetRequiredService<IOptions<StorageOptions>>().Value.DataDirectory), s => s.File));
        services.AddSingleton(sp => OwnerOnly(sp, ApiKeyStore.Load(
            sp.GetRequiredService<IOptions<ApiOptions>>().Value, sp.GetRequiredService<IOptions<StorageOptions>>().Value.DataDirectory), k => k.DevelopmentKeyFile));
        services.AddSingleton<ServerAddresses>();
        services.TryAddSingleton(new BannerWriter(Console.Out));
        services.AddHostedService<StartupBanner>();
        return services;
    }

    /// <summary>Generated secret files are created 0600; one loosened since is made owner-only again, with a log line.</summary>
    private static T OwnerOnly<T>(IServiceProvider services, T loaded, Func<T, string?> file)
    {
        if (file(loaded) is { } path)
        {
            OwnerOnlyFiles.Tighten(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SecretFile).FullName!), path);
        }

        return loaded;
    }

    /// <summary>Start-up validation failures, as the lines a person reads (one per problem), without a stack trace.</summary>
    public static IReadOnlyList<string>? Problems(Exception exception) => exception switch
    {
        OptionsValidationException e => [.. e.Failures],
        // The embedded sandbox listens beyond loopback without Sandbox:AllowRemoteAccess.
        SandboxExposureException e => [e.Message],
        // A value the binder cannot convert ("yes" for a boolean): its message names the key, the value and the type.
        InvalidOperationException e when e.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) => [e.Message],
        AggregateException e when e.InnerExceptions.All(i => Problems(i) is not null) => [.. e.InnerExceptions.SelectMany(i => Problems(i)!)],
        _ => null,
    };
}
