using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OtpGate.Server.Api;
using OtpGate.Verification.Storage;

namespace OtpGate.Server.SignUpDemo;

/// <summary>
/// The sign-up demo (the seed's "your app"), all in this folder: its Razor Pages (rooted here, at the same URLs), its
/// session cookie and live status; its accounts table is in <c>SignUp/AccountStore.cs</c>. The scripts and styles it
/// serves are the web root's (<c>wwwroot</c>).
/// </summary>
internal static class SignUpSetup
{
    public const string PagesRoot = "/SignUpDemo/Pages";

    public static IServiceCollection AddSignUp(this IServiceCollection services, IConfiguration configuration)
    {
        // SignUp:DefaultRegion, checked at start-up like every other option.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SignUpOptions>, SignUpOptionsValidator>());
        services.AddOptions<SignUpOptions>().Bind(configuration.GetSection(SignUpOptions.SectionName)).ValidateOnStart();

        // A page whose handler fails because the storage cannot take writes says "try again in a few seconds" (503).
        services.AddRazorPages(options => options.RootDirectory = PagesRoot).AddMvcOptions(options => options.Filters.Add<StorageUnavailablePageFilter>());
        services.AddSingleton<SignUpSession>();
        // Its tables come with the engine's migrations (0004_accounts).
        services.AddSingleton<AccountStore>();
        services.AddSingleton<SignUpAccounts>();

        // Cookie and anti-forgery keys survive restarts: they live in the data directory.
        services.AddDataProtection().SetApplicationName("OtpGate");
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<StorageOptions>, ILoggerFactory>((options, storage, logs) =>
            options.XmlRepository = new OwnerOnlyKeyRepository(new DirectoryInfo(Path.Combine(storage.Value.DataDirectory, "keys")), logs));
        KeyRingOnFirstUse(services);
        return services;
    }

    /// <summary>
    /// Data protection's hosted service reads (the first time, creates and writes) the key ring before the server listens:
    /// about 30 ms of every start. Only the sign-up pages' cookie and anti-forgery tokens use
    /// it, and the key ring provider makes the ring on its first use just the same, so the first page pays instead of the API.
    /// </summary>
    private static void KeyRingOnFirstUse(IServiceCollection services)
    {
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(IHostedService)
                && services[i].ImplementationType?.FullName == "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService")
            {
                services.RemoveAt(i);
            }
        }
    }

    public static IEndpointRouteBuilder MapSignUp(this IEndpointRouteBuilder app)
    {
        app.MapRazorPages().RequireRateLimiting(RateLimits.PagesPolicy);
        app.MapSignUpEvents();
        return app;
    }
}
