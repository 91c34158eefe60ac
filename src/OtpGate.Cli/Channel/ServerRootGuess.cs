using OtpGate.Server.Hosting;

namespace OtpGate.Cli.Channel;

/// <summary>
/// A newcomer's likely guess: the OtpGate server's own address as the 1MSG base URL (<c>--base-url
/// http://localhost:5080</c>), where 1MSG's paths do not exist. The sandbox's API is below
/// <see cref="OneMsgMode.SandboxPath"/>; when a 404 came from such a server, this says so instead of the sandbox's
/// "Unknown method".
/// </summary>
internal static class ServerRootGuess
{
    /// <summary>A usage error naming the right base URL, or null when the base URL is not an OtpGate server's root.</summary>
    public static async Task<CliException?> ExplainAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var baseUrl = context.OneMsgOptions().BaseUrl;
        if (baseUrl.AbsolutePath.Trim('/').Length > 0)
        {
            return null;
        }

        var sandbox = EmbeddedDefault.SandboxApi(baseUrl);
        if (!await AnswersAsync(new Uri(sandbox + "/inbox"), cancellationToken))
        {
            return null;
        }

        var root = baseUrl.GetLeftPart(UriPartial.Authority);
        return CliException.Usage(
            $"{root} is an OtpGate server, not a 1MSG API: its built-in sandbox's API is at {sandbox}. Use --base-url {sandbox} " +
            $"(channel sandbox, token sandbox-token), or leave out every OneMsg setting and set {CommandContext.ServerUrlVariable}={root}: otpgate then uses that sandbox by itself.");
    }

    private static async Task<bool> AnswersAsync(Uri inbox, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(inbox, cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
