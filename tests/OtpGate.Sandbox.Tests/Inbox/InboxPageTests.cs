using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using OtpGate.Sandbox.Tests.Support;

namespace OtpGate.Sandbox.Tests.Inbox;

public sealed class InboxPageTests
{
    private static async Task<(ApiAnswer Answer, string Html)> GetInboxAsync(TestSandbox sandbox)
    {
        var answer = await sandbox.Api.GetAbsoluteAsync(sandbox.Server.InboxUrl.ToString());
        return (answer, answer.Text);
    }

    [Fact]
    public async Task Inbox_is_a_self_contained_html_page()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var (answer, html) = await GetInboxAsync(sandbox);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.StartsWith("<!doctype html>", html);
        Assert.DoesNotMatch(new Regex("""(src|href)\s*=\s*["']?(https?:)?//""", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("@import", html);
        Assert.DoesNotContain("url(http", html);
        Assert.DoesNotContain("__BASE_PATH__", html);
        Assert.DoesNotContain("__CHANNEL_ID__", html);
    }

    [Fact]
    public async Task Inbox_has_the_whatsapp_pieces_and_stable_test_hooks()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var (_, html) = await GetInboxAsync(sandbox);

        Assert.Contains("data-testid\": \"copy-code\"", html);
        Assert.Contains("data-testid\": \"message-body\"", html);
        Assert.Contains("data-testid\": \"delivery-status\", \"data-status\"", html);
        Assert.Contains("\"data-testid\": \"chat-\" + c.phone", html);
        Assert.Contains("navigator.clipboard.writeText", html);
        Assert.Contains("document.execCommand(\"copy\")", html);
        Assert.Contains("Code copied", html);
        Assert.Contains("Sandbox — messages here never leave this machine", html);
        Assert.Contains("No messages yet", html);
        Assert.Contains("aria-label", html);
        Assert.Contains("_sandbox/messages", html);
    }

    [Fact]
    public async Task Inbox_never_puts_a_code_in_the_page_source()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.Api.SendAsync(Requests.Otp("12125550100", "839201"));

        var (_, html) = await GetInboxAsync(sandbox);

        Assert.DoesNotContain("839201", html);
    }

    [Fact]
    public async Task Inbox_script_is_valid_javascript()
    {
        var node = NodeJs.Find();
        if (node is null)
        {
            NodeJs.SkipOrFail();
            return;
        }

        await using var sandbox = await TestSandbox.StartAsync();
        var (_, html) = await GetInboxAsync(sandbox);
        var script = Regex.Match(html, "<script>(.*)</script>", RegexOptions.Singleline).Groups[1].Value;
        var file = Path.Combine(Path.GetTempPath(), $"otpgate-inbox-{Environment.ProcessId}.js");
        await File.WriteAllTextAsync(file, script, TestContext.Current.CancellationToken);
        try
        {
            var result = await NodeJs.RunAsync(node, ["--check", file]);
            Assert.True(result.ExitCode == 0, result.Output);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
