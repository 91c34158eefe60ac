using OtpGate.Verification.Credentials;
using OtpGate.Verification.Tests.Support;

namespace OtpGate.Verification.Tests.Credentials;

/// <summary>The Twilio-shaped credentials' store, on SQLite and, in the PostgreSQL pass, on PostgreSQL.</summary>
public sealed class TwilioCredentialsTests
{
    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task An_account_and_its_key_authenticate_with_their_own_secret_only()
    {
        await using var engine = await Engine.StartAsync();
        var credentials = new TwilioCredentials(engine.Database, engine.Clock);
        var account = await credentials.IssueAccountAsync("default", "web", None);
        var key = (await credentials.IssueKeyAsync(account.Credential.Sid, "ci", None))!;

        var byKey = await credentials.AuthenticateAsync(key.Credential.Sid, key.Secret, None);

        Assert.Matches("^AC[0-9a-f]{32}$", account.Credential.Sid);
        Assert.Equal((account.Credential.Sid, "default", true), (byKey!.AccountSid, byKey.ServiceId, byKey.IsApiKey));
        Assert.Equal(account.Credential, await credentials.AuthenticateAsync(account.Credential.Sid, account.Secret, None));
        Assert.Null(await credentials.AuthenticateAsync(account.Credential.Sid, key.Secret, None));
        Assert.Null(await credentials.AuthenticateAsync(key.Credential.Sid, account.Secret, None));
        Assert.Null(await credentials.AuthenticateAsync("AC" + new string('0', 32), account.Secret, None));
        Assert.Null(await credentials.AuthenticateAsync("not-a-sid", account.Secret, None));
    }

    [Fact]
    public async Task Keys_are_issued_for_accounts_only_and_inherit_their_service_or_admin()
    {
        await using var engine = await Engine.StartAsync();
        var credentials = new TwilioCredentials(engine.Database, engine.Clock);
        var admin = await credentials.IssueAccountAsync(null, "ops", None);
        var key = (await credentials.IssueKeyAsync(admin.Credential.Sid, "", None))!;

        Assert.True(admin.Credential.IsAdmin && key.Credential.IsAdmin);
        Assert.Null(await credentials.IssueKeyAsync(key.Credential.Sid, "", None));
        Assert.Null(await credentials.IssueKeyAsync("AC" + new string('0', 32), "", None));
    }

    [Fact]
    public async Task Revoking_an_account_revokes_its_keys_and_the_list_is_per_service()
    {
        await using var engine = await Engine.StartAsync();
        var credentials = new TwilioCredentials(engine.Database, engine.Clock);
        var account = await credentials.IssueAccountAsync("default", "web", None);
        var key = (await credentials.IssueKeyAsync(account.Credential.Sid, "ci", None))!;
        var admin = await credentials.IssueAccountAsync(null, "ops", None);

        Assert.Equal([account.Credential.Sid, key.Credential.Sid], (await credentials.ListAsync("default", None)).Select(c => c.Sid));
        Assert.Equal(3, (await credentials.ListAsync(null, None)).Count);
        Assert.Equal(2, await credentials.RevokeAsync(account.Credential.Sid, None));

        Assert.Null(await credentials.AuthenticateAsync(key.Credential.Sid, key.Secret, None));
        Assert.Empty(await credentials.ListAsync("default", None));
        Assert.NotNull(await credentials.AuthenticateAsync(admin.Credential.Sid, admin.Secret, None));
        Assert.Equal(0, await credentials.RevokeAsync(account.Credential.Sid, None));
    }
}
