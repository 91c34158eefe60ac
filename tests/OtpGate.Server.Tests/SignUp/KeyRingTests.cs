using System.Net;
using System.Net.Http.Json;
using OtpGate.Server.Tests.Support;

namespace OtpGate.Server.Tests.SignUp;

/// <summary>Data protection's key ring is made by the first page that needs it, not before the server listens.</summary>
public sealed class KeyRingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_first_key_is_written_by_the_first_sign_up_page_not_at_start_up_and_the_API_never_needs_one()
    {
        await using var server = new CustomServer(null);
        await server.InitializeAsync();
        var keys = Path.Combine(server.DataDirectory, "keys");
        using var api = server.Api();
        using (var started = await api.PostAsJsonAsync("/v1/verifications", new { phone = server.NextPhone() }, Ct))
        {
            Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        }

        Assert.Empty(KeyFiles(keys));

        // The sign-up form carries an anti-forgery token: its page needs the key ring, and writes the first key.
        using var browser = server.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = server.Root });
        var page = await browser.GetStringAsync("/", Ct);
        Assert.Contains("__RequestVerificationToken", page, StringComparison.Ordinal);
        Assert.Single(KeyFiles(keys));
    }

    private static IEnumerable<string> KeyFiles(string folder) =>
        Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*.xml") : [];
}
