// The sandbox alone: the 1MSG API at http://<host>/{channelId}/..., the inbox at /inbox.
// `dotnet run --project src/OtpGate.Sandbox -- --urls http://127.0.0.1:5090`
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddOneMsgSandbox();

// As in the server's appsettings.json: ASP.NET Core's request lines carry the query string (?phone=, ?messageId=).
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

var app = builder.Build();

// The root leads a newcomer to the inbox.
app.MapGet("/", () => Results.Redirect("inbox"));
app.MapOneMsgSandbox();

// Say where everything is once Kestrel knows its addresses.
app.Lifetime.ApplicationStarted.Register(() =>
{
    var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<OtpGate.Sandbox.SandboxOptions>>().Value;
    foreach (var url in app.Urls)
    {
        var root = url.TrimEnd('/');
        Console.WriteLine($"1MSG sandbox API: {root}/{options.ChannelId}/ (token \"{(options.Token == OtpGate.Sandbox.SandboxOptions.DefaultToken ? options.Token : "as configured")}\")");
        Console.WriteLine($"Inbox:            {root}/inbox");
    }
});

try
{
    await app.RunAsync();
    return 0;
}
catch (OtpGate.Sandbox.SandboxExposureException e)
{
    // Listening beyond loopback without Sandbox:AllowRemoteAccess: one sentence, not a stack trace.
    await Console.Error.WriteLineAsync(e.Message);
    return 1;
}
