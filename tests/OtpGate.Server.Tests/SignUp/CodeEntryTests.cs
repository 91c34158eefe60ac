using OtpGate.Server.Tests.Support;

namespace OtpGate.Server.Tests.SignUp;

/// <summary>The code field takes the code as people type or paste it; what cannot be a code costs no attempt.</summary>
public sealed class CodeEntryTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_short_or_lettered_entry_costs_no_attempt_and_a_spaced_full_width_code_signs_in()
    {
        var phone = server.NextPhone();
        using var visitor = new SignUpVisitor(server);
        (await visitor.SignUpAsync("Ada", phone)).Dispose();
        var code = await server.ReadCodeAsync(phone);

        foreach (var typo in new[] { "12", "12345a", code + "1" })
        {
            using var answer = await visitor.CheckAsync(typo);
            var page = await visitor.FollowAsync(answer);
            Assert.Contains("Enter the 6-digit code from the WhatsApp message.", page, StringComparison.Ordinal);
            Assert.Contains("id=\"attempts-left\" hidden=\"hidden\">5 attempts left<", page, StringComparison.Ordinal); // none spent
        }

        var fullWidth = new string([.. code.Select(c => (char)('\uFF10' + (c - '0')))]);
        using var signedIn = await visitor.CheckAsync(" " + fullWidth[..3] + " " + fullWidth[3..] + " ");

        Assert.Equal("/Welcome", SignUpVisitor.Location(signedIn));
    }
}
