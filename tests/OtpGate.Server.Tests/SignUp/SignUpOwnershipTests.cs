using System.Net;
using OtpGate.Server.Tests.Support;

namespace OtpGate.Server.Tests.SignUp;

/// <summary>The sign-up app over real HTTP: a verification belongs to the browser session that started it.</summary>
public sealed class SignUpOwnershipTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_stranger_cannot_lock_the_numbers_owner_out_with_wrong_codes_from_one_browser()
    {
        // Reproduction 4, as written: sign up with the owner's number, enter 5 wrong codes, "Send a new code", four times.
        var phone = server.NextPhone();
        using var stranger = new SignUpVisitor(server);
        Assert.Equal("/Verify", SignUpVisitor.Location(await stranger.SignUpAsync("Mallory", phone)));
        for (var round = 0; round < 4; round++)
        {
            var code = await server.ReadCodeAsync(phone);
            for (var attempt = 0; attempt < 5; attempt++)
            {
                (await stranger.CheckAsync(code == "000000" ? "111111" : "000000")).Dispose();
            }

            (await stranger.AskForNewCodeAsync()).Dispose();
        }

        // The owner signs up and types the code they got: in, not "try again in 24 hours".
        await server.WaitForSendsAsync(phone);
        var before = (await server.ReadCodesAsync(phone, 1)).Count;
        using var owner = new SignUpVisitor(server);
        Assert.Equal("/Verify", SignUpVisitor.Location(await owner.SignUpAsync("Victim", phone)));
        var codes = await server.ReadCodesAsync(phone, before + 1);
        using var answer = await owner.CheckAsync(codes[before]);

        Assert.Equal("/Welcome", SignUpVisitor.Location(answer));
        var welcome = await (await owner.GetAsync("/Welcome")).Content.ReadAsStringAsync(Ct);
        Assert.Contains("Welcome, Victim!", welcome, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_copied_sign_up_cookie_never_signs_in_after_its_owner_did()
    {
        var phone = server.NextPhone();
        using var owner = new SignUpVisitor(server);
        Assert.Equal("/Verify", SignUpVisitor.Location(await owner.SignUpAsync("Owner", phone)));
        var copied = owner.CookieHeader;
        using var signedIn = await owner.CheckAsync(await server.ReadCodeAsync(phone));
        Assert.Equal("/Welcome", SignUpVisitor.Location(signedIn));

        // Someone who copied the cookie while the owner was signing up replays it afterwards: the approved verification's id
        // alone (even in a valid cookie) signs nobody in a second time.
        using var thief = new SignUpVisitor(server);
        thief.UseCookies(copied);
        using var replay = await thief.GetAsync("/Verify");

        Assert.Equal("/", SignUpVisitor.Location(replay));
        using var welcome = await thief.GetAsync("/Welcome");
        Assert.Equal("/", SignUpVisitor.Location(welcome));
    }

    [Fact]
    public async Task Two_sessions_with_the_same_number_each_get_their_own_code()
    {
        var phone = server.NextPhone();
        using var first = new SignUpVisitor(server);
        using var second = new SignUpVisitor(server);
        (await first.SignUpAsync("First", phone)).Dispose();
        (await second.SignUpAsync("Second", phone)).Dispose();
        var codes = await server.ReadCodesAsync(phone, 2);
        Assert.SkipWhen(codes[0] == codes[1], "The two random codes happen to be equal.");

        using var wrongSession = await second.CheckAsync(codes[0]);
        using var rightSession = await first.CheckAsync(codes[0]);

        Assert.Equal("/Verify", SignUpVisitor.Location(wrongSession));
        Assert.Contains("That code isn&#x27;t right", await second.FollowAsync(wrongSession), StringComparison.Ordinal);
        Assert.Equal("/Welcome", SignUpVisitor.Location(rightSession));
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/Verify")).StatusCode);
    }
}
