using System.Globalization;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OtpGate.Channels.OneMsg;
using OtpGate.Verification;
using OtpGate.Verification.CrashHost;
using OtpGate.Verification.Storage;
using OtpGate.Verification.Verifications;

// Usage: CrashHost <data directory> <sandbox base url> <first index> <last index>
// Prints "instance <dispatcher instance id>", then starts verifications for numbers first..last, printing
// "started <index> <id>" once each start is committed, then "drained" when no send job and no event delivery is left.
// Storage is SQLite in the data directory unless Storage__Provider/Storage__ConnectionString say otherwise; event
// endpoints come from Events__Endpoints__<name>__Url and __Secret.
// The crash tests kill it with SIGKILL at random moments.
var dataDirectory = args[0];
var sandboxUrl = new Uri(args[1]);
var first = int.Parse(args[2], CultureInfo.InvariantCulture);
var last = int.Parse(args[3], CultureInfo.InvariantCulture);

var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Storage:DataDirectory"] = dataDirectory,
    ["Security:Secret"] = "crash-test-secret-0123456789-abcdefghijklmnop",
    ["OneMsg:Template:Name"] = "registration_otp",
    ["OneMsg:Template:Namespace"] = "otpgate_sandbox",
    ["OneMsg:Template:Language"] = "en",
    ["Verification:Dispatch:ChannelRatePerSecond"] = "1000",
    ["Verification:Dispatch:PollInterval"] = "00:00:00.100",
    ["Verification:Dispatch:Lease"] = "00:00:05",
    ["Events:PollInterval"] = "00:00:00.100",
    ["Events:Timeout"] = "00:00:02",
    ["Events:Lease"] = "00:00:06",
    ["Fraud:Enabled"] = "false", // hundreds of sequential numbers a minute: a sweep the fraud guard would refuse (its own tests)
});
builder.Services.AddOtpGateVerification(builder.Configuration);
builder.Services.AddOneMsgClient(o =>
{
    o.BaseUrl = sandboxUrl;
    o.ChannelId = "sandbox";
    o.Token = "sandbox-token";
    o.AttemptTimeout = TimeSpan.FromSeconds(5);
});
builder.Services.AddOneMsgChannel(builder.Configuration);
using var host = builder.Build();
await host.StartAsync();
Console.Out.WriteLine($"instance {host.Services.GetRequiredService<OtpGate.Verification.Outbox.OutboxDispatcher>().InstanceId}");

var service = host.Services.GetRequiredService<VerificationService>();
for (var i = first; i <= last; i++)
{
    var result = await service.StartAsync(VerificationOwner.ApiKey("crash-host"), new StartRequest(CrashNumbers.Phone(i)), CancellationToken.None);
    Console.Out.WriteLine($"started {i} {result.Verification?.Id ?? "refused:" + result.Refusal?.Reason}");
    await Console.Out.FlushAsync();
}

var database = host.Services.GetRequiredService<Database>();
while (true)
{
    await using (var connection = await database.OpenAsync(CancellationToken.None))
    {
        var open = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sends WHERE job_state IN ('queued', 'claimed')")
            + await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM event_deliveries WHERE state IN ('pending', 'claimed')");
        if (open == 0)
        {
            break;
        }
    }

    await Task.Delay(100);
}

Console.Out.WriteLine("drained");
await Console.Out.FlushAsync();
await host.StopAsync();

