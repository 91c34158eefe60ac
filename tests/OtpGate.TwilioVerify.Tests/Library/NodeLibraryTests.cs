using System.Diagnostics;
using System.Text.Json.Nodes;
using OtpGate.TwilioVerify.Tests.Support;

namespace OtpGate.TwilioVerify.Tests.Library;

/// <summary>
/// Twilio's Node.js library (npm <c>twilio</c>, pinned in Node/package-lock.json, installed by .ci/run with
/// <c>npm ci</c>) against the running OtpGate, set up with <c>client.verify.baseUrl</c> as README shows. Without
/// node or the installed package the test is skipped locally and fails on CI.
/// </summary>
[Collection(nameof(OneAtATime))]
public sealed class NodeLibraryTests(OtpGateServer server)
{
    [Fact]
    public async Task Twilios_node_library_creates_starts_checks_lists_and_gets_twilios_errors_with_only_its_base_url_changed()
    {
        var folder = NodeFolder();
        var (keySid, keySecret, keyAccount) = await server.ShopApiKeyAsync();
        var phone = server.NextPhone();

        var result = await RunAsync(folder, new Dictionary<string, string>
        {
            ["OTPGATE_URL"] = server.Root.ToString().TrimEnd('/'),
            ["ACCOUNT_SID"] = Credentials.AdminAccountSid,
            ["AUTH_TOKEN"] = Credentials.AdminAuthToken,
            ["API_KEY_SID"] = keySid,
            ["API_KEY_SECRET"] = keySecret,
            ["API_KEY_ACCOUNT_SID"] = keyAccount,
            ["SHOP_SID"] = await server.ServiceSidAsync("shop"),
            ["PHONE"] = phone,
        });

        var service = result["service"]!["sid"]!.GetValue<string>();
        var verification = result["started"]!["sid"]!.GetValue<string>();
        Assert.Equal("Node app", result["service"]!["friendlyName"]!.GetValue<string>());
        SameJson($$"""{"sid":"{{verification}}","status":"pending","channel":"whatsapp","to":"{{phone}}","dateCreatedIsDate":true}""", result["started"]!);
        SameJson($$"""{"sid":"{{verification}}","status":"pending","valid":false}""", result["wrong"]!);
        SameJson($$"""{"sid":"{{verification}}","status":"approved","valid":true}""", result["right"]!);
        SameJson("""{"name":"RestException","status":404,"code":20404,"moreInfo":"https://www.twilio.com/docs/errors/20404"}""", result["afterApproval"]!);
        SameJson("""{"name":"RestException","status":401,"code":20003,"moreInfo":"https://www.twilio.com/docs/errors/20003"}""", result["unauthenticated"]!);
        Assert.Equal("Shop", result["shop"]!["friendlyName"]!.GetValue<string>());
        // Every service, past the first page of two: the library followed next_page_url to OtpGate.
        var listed = result["listed"]!.AsArray().Select(sid => sid!.GetValue<string>()).ToList();
        Assert.True(listed.Count > 2, string.Join(", ", listed));
        Assert.Contains(service, listed);
        Assert.Equal(listed.Count, listed.Distinct().Count());
    }

    private static void SameJson(string expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"Expected {expected}, got {actual.ToJsonString()}");

    private static string NodeFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var folder = Path.Combine(dir.FullName, "tests", "OtpGate.TwilioVerify.Tests", "Node");
            if (File.Exists(Path.Combine(folder, "verify.js")))
            {
                if (Node() is null || !File.Exists(Path.Combine(folder, "node_modules", "twilio", "package.json")))
                {
                    SkipOrFail($"node and Twilio's Node.js library are needed: install nodejs and npm, then run `npm ci` in {folder} (.ci/run does both).");
                }

                return folder;
            }
        }

        throw new InvalidOperationException("tests/OtpGate.TwilioVerify.Tests/Node was not found above the test's folder.");
    }

    private static string? Node() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "node")).FirstOrDefault(File.Exists);

    private static void SkipOrFail(string message)
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Assert.Fail(message);
        }

        Assert.Skip(message);
    }

    private static async Task<JsonObject> RunAsync(string folder, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(Node()!, "verify.js") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        Assert.True(process.ExitCode == 0, $"node exited with {process.ExitCode}:\n{await output}\n{await errors}");
        return JsonNode.Parse((await output).Trim())!.AsObject();
    }
}
