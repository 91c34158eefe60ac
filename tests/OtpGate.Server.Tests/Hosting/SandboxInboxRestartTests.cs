using System.Net.Http.Json;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using OtpGate.Server.Tests.Support;

namespace OtpGate.Server.Tests.Hosting;

/// <summary>
/// The embedded sandbox keeps its phone's messages with the server's data, so after a restart the inbox still shows
/// the code the verify page points at.
/// </summary>
public sealed class SandboxInboxRestartTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task After_a_restart_on_the_same_data_folder_the_inbox_still_shows_the_code_in_a_private_file()
    {
        var data = Path.Combine(Path.GetTempPath(), "otpgate-server-tests", "inbox-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        try
        {
            string phone, code, messageId;
            await using (var first = new CustomServer(null, dataDirectory: data))
            {
                await first.InitializeAsync();
                phone = first.NextPhone();
                var started = await first.StartAsync(phone);
                var read = await first.WaitForAsync(started["id"]!.GetValue<string>(), v => ServerFactory.Delivery(v) == "read");
                messageId = read["sends"]![0]!["messageId"]!.GetValue<string>();
                code = await first.ReadCodeAsync(phone);
            }

            await using var second = new CustomServer(null, dataDirectory: data);
            await second.InitializeAsync();
            using var browser = second.CreateClient();
            var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
            var inbox = (await browser.GetFromJsonAsync<JsonArray>($"/sandbox/_sandbox/messages?phone={digits}", Ct))!;

            var message = Assert.Single(inbox)!;
            Assert.Equal(messageId, message["id"]!.GetValue<string>());
            Assert.Equal(code, message["code"]!.GetValue<string>());
            Assert.Equal("read", message["status"]!.GetValue<string>());
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data, "sandbox-messages.jsonl")));
        }
        finally
        {
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
