using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OtpGate.Sandbox;
using OtpGate.Server.Api;
using OtpGate.Server.Webhooks;
using OtpGate.Verification.Storage;

namespace OtpGate.Server.Hosting;

/// <summary>The server's own configuration: the embedded default's URL, options with start-up validation, generated secrets, the banner.</summary>
internal static partial class ServerConfiguration
{
    public const string DefaultUrl = EmbeddedDefault.ServerUrl;

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
    /// Quiet logs unless configured otherwise (the lowest source: appsettings, environment variables and the command line
    /// override it, and <c>otpgate serve</c>, which finds no appsettings next to the server, gets the same): ASP.NET Core's request lines carry query strings and are noise at Information, and the data protection
    /// key ring is kept unencrypted on purpose (owner-only files in the data folder), which it warns about.
    /// </summary>
    public static void UseQuietLogDefaults(WebApplicationBuilder builder) =>
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = QuietLogLevels });

    public static readonly IReadOnlyDictionary<string, string?> QuietLogLevels = new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
        ["Logging:LogLevel:Polly"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = "Error",
        // "Hosting failed to start" with a stack trace, for a start failure ServerHost says in one sentence (or that .NET
        // prints itself when unexpected); a crashing background service is still logged, at Critical.
        ["Logging:LogLevel:Microsoft.Extensions.Hosting.Internal.Host"] = "Critical",
    };

    /// <summary>
    /// The sentence for a start stopped because the address is taken (another OtpGate, most likely): which address,
    /// and how to start on another. Null for any other failure.
    /// </summary>
    public static string? AddressInUse(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is IOException { InnerException: AddressInUseException } bind)
            {
                var address = AddressInMessage().Match(bind.Message) is { Success: true } match ? match.Groups[1].Value : DefaultUrl;
                var other = Uri.TryCreate(address, UriKind.Absolute, out var uri) ? new UriBuilder(uri) { Port = uri.Port + 1 }.Uri.GetLeftPart(UriPartial.Authority) : "http://localhost:5081";
                return $"OtpGate cannot start: {address} is already in use (another OtpGate is probably running there); stop it, or start this one on another address with --urls {other}.";
            }
        }

        return null;
    }

    // Kestrel: "Failed to bind to address http://127.0.0.1:5080: address already in use."
    [GeneratedRegex(@"address (\S+?):? address already in use", RegexOptions.CultureInvariant)]
    private static partial Regex AddressInMessage();

    /// <summary>
    /// The data folder decided once, as an absolute path on top of every other source (<see cref="DataFolder"/>): the
    /// engine, the secrets, the cookie keys, the logs and the banner all name the same real folder.
    /// </summary>
    public static string UseDataFolder(WebApplicationBuilder builder)
    {
        var folder = DataFolder.Resolve(builder.Configuration, builder.Environment.ContentRootPath, Environment.GetEnvironmentVariable);
        builder.Configuration.AddInMemoryCollection([KeyValuePair.Create(DataFolder.Key, (string?)folder)]);
        try
        {
            // Owner-only before anything else (the cookie key ring, the secrets) creates it with the process's umask.
            OwnerOnlyFiles.CreateFolder(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not writable: the start-up storage check says so in a sentence.
        }

        return folder;
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
        // Started-phase: it runs once the engine has written the configuration's services, whatever the registration order.
        services.AddHostedService<Services.ServiceKeysCheck>();
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
