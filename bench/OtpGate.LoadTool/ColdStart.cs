using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace OtpGate.LoadTool;

/// <summary>
/// Starts the command after <c>--</c> and polls <c>--url</c> every 2 ms (GET, or POST with <c>--post</c>) until the first
/// 2xx answer; prints the milliseconds from process start to that answer, then stops the process it started.
/// </summary>
internal static class ColdStart
{
    public static async Task<int> RunAsync(Args args)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        if (args.Optional("key") is { } key)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        var limit = TimeSpan.FromSeconds(args.Long("timeout", 60));
        var start = new ProcessStartInfo(args.Rest[0]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = args.Optional("cwd") ?? "" };
        foreach (var a in args.Rest.Skip(1))
        {
            start.ArgumentList.Add(a);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        // Drain its output so it never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            while (clock.Elapsed < limit && !process.HasExited)
            {
                try
                {
                    using var content = args.Optional("post") is { } body ? new StringContent(body, Encoding.UTF8, "application/json") : null;
                    using var response = content is null ? await client.GetAsync(args.Get("url")) : await client.PostAsync(args.Get("url"), content);
                    if (response.IsSuccessStatusCode)
                    {
                        Console.WriteLine($"coldstart_ms={clock.Elapsed.TotalMilliseconds:0}");
                        return 0;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }

                await Task.Delay(2);
            }

            Console.Error.WriteLine("coldstart: no successful answer before the time limit or the process exited.");
            return 2;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
    }
}
