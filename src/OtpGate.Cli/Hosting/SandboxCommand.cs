using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpGate.Sandbox;
using OtpGate.Sandbox.Templates;

namespace OtpGate.Cli.Hosting;

/// <summary>
/// <c>otpgate sandbox [--urls …]</c>: the standalone sandbox (what <c>src/OtpGate.Sandbox.Host</c> runs), hosted
/// in-process until Ctrl+C. Its options come from the <c>Sandbox</c> section of the same configuration sources.
/// </summary>
internal static class SandboxCommand
{
    public const string DefaultUrls = "http://127.0.0.1:5090";

    public static Command Create(CommandRuntime runtime)
    {
        var urls = new Option<string>("--urls")
        {
            Description = $"Where to listen, separated by ';' (default {DefaultUrls}; port 0 picks a free port; loopback only unless --set Sandbox:AllowRemoteAccess=true).",
            DefaultValueFactory = _ => DefaultUrls,
            HelpName = "urls",
        };
        var command = new Command("sandbox", "Run the 1MSG sandbox (the API, the phone inbox page) until Ctrl+C.") { urls };
        command.Options.Add(runtime.Config.Config);
        command.Options.Add(runtime.Config.Set);
        runtime.SetAction(command, async (context, cancellationToken) =>
        {
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = context.Console.WorkingDirectory });
            builder.Configuration.AddConfiguration(context.Configuration);
            builder.WebHost.UseKestrelCore().UseUrls(context.Parse.GetValue(urls)!);
            builder.Services.AddRouting();
            builder.Logging.AddProvider(new LineLoggerProvider(context.Out));
            builder.Services.AddOneMsgSandbox();

            await using var app = builder.Build();
            app.UseRouting();
            // As the sandbox's own host: the root leads a newcomer to the inbox.
            app.MapGet("/", () => Results.Redirect("inbox"));
            app.MapOneMsgSandbox();
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (SandboxExposureException e)
            {
                // --urls beyond loopback without Sandbox:AllowRemoteAccess=true (--set or the environment).
                throw CliException.Usage(e.Message);
            }

            PrintAddresses(context, app);
            await app.WaitForShutdownAsync(cancellationToken);
            await app.StopAsync(CancellationToken.None);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void PrintAddresses(CommandContext context, WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<SandboxOptions>>().Value;
        var template = SandboxTemplate.DefaultAuthentication();
        foreach (var line in SandboxBanner.Lines(options, app.Urls))
        {
            context.Out.WriteLine(line);
        }

        var first = app.Urls.First().TrimEnd('/');
        context.Out.WriteLine($"Try it:           otpgate send --base-url {first} --channel {options.ChannelId} --token <token> " +
            $"--template {template.Name} --namespace {template.Namespace} --language {template.Language} --phone +12125550100");
        context.Out.WriteLine("Press Ctrl+C to stop.");
        context.Out.Flush();
    }
}
