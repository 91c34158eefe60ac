using OtpGate.Server.Api;
using OtpGate.Server.Hosting;
using OtpGate.Server.Operations;
using OtpGate.Server.SignUp;
using OtpGate.Server.Verifications;
using OtpGate.Server.Webhooks;
using OtpGate.Verification;
using OtpGate.Verification.Storage;

var builder = WebApplication.CreateBuilder(args);

// The embedded default listens on http://localhost:5080 unless --urls, URLS or Kestrel endpoints say otherwise.
ServerConfiguration.UseDefaultUrl(builder);
builder.Host.UseDefaultServiceProvider(options => options.ValidateOnBuild = options.ValidateScopes = true);

// Configuration checked at start-up (each problem names its key and gives an example), generated secrets, the banner.
builder.Services.AddServerConfiguration();

// The engine, and its 1MSG client: the sandbox mounted in this server unless the OneMsg section names a real channel.
builder.Services.AddOtpGateVerification(builder.Configuration);
builder.Services.AddOneMsg(builder.Configuration);

// The API's edges: problem details for every error, API keys, rate limits, OpenAPI.
builder.Services.AddApi();

// The sign-up web app.
builder.Services.AddSignUp();

// Operations: health, readiness, Prometheus metrics, logs that never carry the webhook secret, graceful shutdown.
builder.Services.AddOperations();

try
{
    var app = builder.Build();

    // Before anything listens: a database that cannot be written stops the start with a sentence, not a stack trace.
    await app.Services.GetRequiredService<Database>().EnsureWritableAsync(CancellationToken.None);

    app.UseExceptionHandler();
    app.UseStatusCodePages();
    app.UseStaticFiles();
    app.UseRouting();
    app.UseAuthentication();
    app.UseRateLimiter();
    app.UseAuthorization();

    app.MapVerifications();
    app.MapOneMsgWebhook();
    app.MapSignUp();
    app.MapOperations();
    app.MapApiDocs();

    // The embedded default's 1MSG: API at /sandbox/{channelId}/..., the phone inbox at /sandbox/inbox.
    if (app.Services.GetRequiredService<OneMsgMode>().IsSandbox)
    {
        app.MapOneMsgSandbox(OneMsgMode.SandboxPath);
    }

    await app.RunAsync();
    return 0;
}
catch (Exception e) when (ServerConfiguration.Problems(e) is { } problems)
{
    // A configuration problem is a few sentences for a person, not a stack trace.
    await Console.Error.WriteLineAsync("OtpGate cannot start; fix the configuration:");
    foreach (var problem in problems)
    {
        await Console.Error.WriteLineAsync("  - " + problem);
    }

    return 1;
}
catch (Exception e) when (StorageUnavailableException.Find(e) is { } storage)
{
    // A read-only data folder, a full disk, an unreachable PostgreSQL: what to fix, where.
    await Console.Error.WriteLineAsync(storage.Message);
    return 1;
}

/// <summary>
/// The entry point, for WebApplicationFactory. The sandbox (referenced) has its own top-level Program, so tests name this
/// one through <see cref="OtpGate.Server.ServerProgram"/>.
/// </summary>
public partial class Program;
