using OtpGate.Server.Api;
using OtpGate.Server.Events;
using OtpGate.Server.Fraud;
using OtpGate.Verification.Fraud;
using OtpGate.Server.Hosting;
using OtpGate.Server.Operations;
using OtpGate.Server.Services;
using OtpGate.Server.SignUpDemo;
using OtpGate.Server.Spend;
using OtpGate.Server.TwilioVerify;
using OtpGate.Server.Verifications;
using OtpGate.Server.Webhooks;
using OtpGate.Verification;
using OtpGate.Verification.Storage;

namespace OtpGate.Server;

/// <summary>
/// The server, composed and run: what <c>Program</c> runs, and what <c>otpgate serve</c> runs in its own process
/// (this assembly carries the pages, so it is the application whatever the entry assembly).
/// </summary>
public static class ServerHost
{
    /// <summary>
    /// Runs the server until it stops or <paramref name="cancellationToken"/> ends it: 0, or 1 when the configuration,
    /// the storage or a taken address keeps it from starting (said on <paramref name="errors"/>). <paramref name="settings"/> come on top of
    /// appsettings and environment variables, under the command line (<paramref name="args"/>).
    /// </summary>
    public static async Task<int> RunAsync(
        IReadOnlyList<string> args,
        TextWriter output,
        TextWriter errors,
        IEnumerable<KeyValuePair<string, string?>>? settings = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [.. args], ApplicationName = typeof(ServerHost).Assembly.GetName().Name });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Configuration.AddCommandLine([.. args]);
        }

        try
        {
            var app = Build(builder, output);

            // Before anything listens: a database that cannot be written stops the start with a sentence, not a stack
            // trace. Only with valid options (they say which database); wrong ones stop the start just below.
            if (ServerOptions.Problems(app.Services).Count == 0)
            {
                await app.Services.GetRequiredService<Database>().EnsureWritableAsync(cancellationToken);
            }

            await ((IHost)app).RunAsync(cancellationToken);
            return 0;
        }
        catch (Exception e) when (ServerConfiguration.Problems(e) is { } problems)
        {
            // A configuration problem is a few sentences for a person, not a stack trace.
            await errors.WriteLineAsync("OtpGate cannot start; fix the configuration:");
            foreach (var problem in problems)
            {
                await errors.WriteLineAsync("  - " + problem);
            }

            return 1;
        }
        catch (Exception e) when (ServerConfiguration.AddressInUse(e) is { } sentence)
        {
            // A second server on the same port: one sentence with the way out, not two stack traces and an abort.
            await errors.WriteLineAsync(sentence);
            return 1;
        }
        catch (Exception e) when (StorageUnavailableException.Find(e) is { } storage)
        {
            // A read-only data folder, a full disk, an unreachable PostgreSQL: what to fix, where.
            await errors.WriteLineAsync(storage.Message);
            return 1;
        }
    }

    private static WebApplication Build(WebApplicationBuilder builder, TextWriter output)
    {
        // The embedded default listens on http://localhost:5080 unless --urls, URLS or Kestrel endpoints say otherwise,
        // keeps its data in one per-user folder wherever it is started, and logs quietly.
        ServerConfiguration.UseDefaultUrl(builder);
        ServerConfiguration.UseDataFolder(builder);
        ServerConfiguration.UseQuietLogDefaults(builder);
        // Checking every registration at build and every scope at resolution costs about 10 ms of each start; Development
        // runs them, and the test hosts turn them on themselves. Production starts without.
        if (builder.Environment.IsDevelopment())
        {
            builder.Host.UseDefaultServiceProvider(options => options.ValidateOnBuild = options.ValidateScopes = true);
        }

        // The sandbox mounted in this server unless the OneMsg section names a real channel: decided once, here.
        var mode = OneMsgMode.From(builder.Configuration);

        // Configuration checked at start-up (each problem names its key and gives an example), generated secrets, the banner.
        builder.Services.AddSingleton(new BannerWriter(output));
        builder.Services.AddServerConfiguration(builder.Configuration, mode);

        // The engine, and its 1MSG client (and in sandbox mode, the sandbox it talks to).
        builder.Services.AddOtpGateVerification(builder.Configuration);
        if (mode.IsSandbox && builder.Configuration[$"{FraudOptions.SectionName}:Enabled"] is null)
        {
            // The sandbox's scenario numbers share one prefix and never convert, and its messages cost nothing: the guard
            // would block a developer exploring them within minutes. On with a real channel; Fraud:Enabled=true tries it here.
            builder.Services.PostConfigure<FraudOptions>(options => options.Enabled = false);
        }

        builder.Services.AddOneMsg(builder.Configuration, mode);

        // SMS as a second channel (after 1MSG, the default): Twilio when configured, else the sandbox's stand-in in sandbox mode.
        builder.Services.AddSms(builder.Configuration, mode);

        // The API's edges: problem details for every error, API keys, rate limits, OpenAPI.
        builder.Services.AddApi();
        builder.Services.AddTwilioVerify();

        // The sign-up web app.
        builder.Services.AddSignUp(builder.Configuration);

        // Operations: health, readiness, Prometheus metrics, logs that never carry the webhook secret, graceful shutdown.
        builder.Services.AddOperations();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages(BrowserStatusPages.WriteAsync);
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();

        app.MapVerifications();
        app.MapServices();
        app.MapFraud();
        app.MapTwilioVerify();
        app.MapEvents();
        app.MapSpend();
        app.MapOneMsgWebhook();
        app.MapSmsWebhook();
        app.MapSignUp();
        app.MapOperations();
        app.MapApiDocs();

        // The embedded default's 1MSG: API at /sandbox/{channelId}/..., the phone inbox at /sandbox/inbox.
        if (mode.IsSandbox)
        {
            app.MapOneMsgSandbox(OneMsgMode.SandboxPath);
        }

        return app;
    }
}
