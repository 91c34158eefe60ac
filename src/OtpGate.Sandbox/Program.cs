// The sandbox alone: the 1MSG API at http://<host>/{channelId}/..., the inbox at /inbox.
// `dotnet run --project src/OtpGate.Sandbox -- --urls http://127.0.0.1:5090`
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddOneMsgSandbox();

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

app.Run();
