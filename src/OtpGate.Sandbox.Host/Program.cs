// The sandbox alone: the 1MSG API at http://<host>/{channelId}/..., the inbox at /inbox.
// `dotnet run --project src/OtpGate.Sandbox.Host -- --urls http://127.0.0.1:5090`
using Microsoft.Extensions.Options;
using OtpGate.Sandbox;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddOneMsgSandbox();

// As the server's log defaults: ASP.NET Core's request lines carry the query string (?phone=, ?messageId=), and
// the webhook client's lines (several per callback, a stack trace per failed attempt) repeat what the sandbox's own
// one line says; data protection (not used here) stays quiet.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);

var app = builder.Build();

// The root leads a newcomer to the inbox.
app.MapGet("/", () => Results.Redirect("inbox"));
app.MapOneMsgSandbox();

// Say where everything is once Kestrel knows its addresses.
app.Lifetime.ApplicationStarted.Register(() =>
{
    foreach (var line in SandboxBanner.Lines(app.Services.GetRequiredService<IOptions<SandboxOptions>>().Value, app.Urls))
    {
        Console.WriteLine(line);
    }
});

try
{
    await app.RunAsync();
    return 0;
}
catch (SandboxExposureException e)
{
    // Listening beyond loopback without Sandbox:AllowRemoteAccess: one sentence, not a stack trace.
    await Console.Error.WriteLineAsync(e.Message);
    return 1;
}
