using Microsoft.Extensions.DependencyInjection;
using OtpGate.Server.Tests.Support;
using OtpGate.Verification.Services;

namespace OtpGate.Server.Tests.SignUp;

/// <summary>The sign-up pages state the default service's settings as committed now, not the configuration read at start.</summary>
public sealed class SignUpServiceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_change_to_the_default_service_shows_in_the_code_length_and_attempts_the_page_states()
    {
        await using var server = new CustomServer(null);
        await server.InitializeAsync();
        // Written to the database as another instance's start with another configuration would write it.
        var catalog = server.Services.GetRequiredService<ServiceCatalog>();
        var current = (await catalog.FindAsync(Service.DefaultId, Ct))!;
        await catalog.UpdateAsync(Service.DefaultId, current.FriendlyName, current.Settings with { CodeLength = 7, MaxAttempts = 3 }, Ct);
        var phone = server.NextPhone();
        using var visitor = new SignUpVisitor(server);
        (await visitor.SignUpAsync("Ada", phone)).Dispose();
        Assert.Equal(7, (await server.ReadCodeAsync(phone)).Length);

        using var answer = await visitor.CheckAsync("12");
        var page = await visitor.FollowAsync(answer);
        using var browser = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/signup/events") { Headers = { { "Cookie", visitor.CookieHeader } } };
        using var events = await browser.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        using var reader = new StreamReader(await events.Content.ReadAsStreamAsync(Ct));
        var status = await FirstDataAsync(reader);

        Assert.Contains("Enter the 7-digit code from the WhatsApp message.", page, StringComparison.Ordinal);
        Assert.Contains("id=\"attempts-left\" hidden=\"hidden\">3 attempts left<", page, StringComparison.Ordinal); // none spent of 3
        Assert.Contains("\"maxAttempts\":3", status, StringComparison.Ordinal);
    }

    private static async Task<string> FirstDataAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync(Ct) is { } line)
        {
            if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                return line;
            }
        }

        throw new InvalidOperationException("The event stream ended before its first status.");
    }
}
