using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Tests.Storage.Contract;

/// <summary>Every method of <see cref="AccountStore"/>, on each database.</summary>
public abstract class AccountStoreContract(TestDatabase kind) : StoreContract(kind)
{
    private AccountStore Accounts => new(Database);

    [Fact]
    public async Task The_first_sign_in_creates_the_account_and_a_later_verification_finds_it()
    {
        var created = await Accounts.SignInAsync("v1", "acct_1", "Ada", "12125550100", Now, Token);
        var found = await Accounts.SignInAsync("v2", "acct_2", "Someone else", "12125550100", Now + 5, Token);

        Assert.Equal((new AccountRow("acct_1", "Ada", "12125550100", Now), true), created);
        Assert.Equal((new AccountRow("acct_1", "Ada", "12125550100", Now), false), found);
        Assert.Equal(new AccountRow("acct_1", "Ada", "12125550100", Now), await Accounts.FindAsync("12125550100", Token));
        Assert.Null(await Accounts.FindAsync("12125550111", Token));
    }

    [Fact]
    public async Task A_verification_signs_in_once_and_a_replay_writes_nothing()
    {
        await Accounts.SignInAsync("v1", "acct_1", "Ada", "12125550100", Now, Token);

        Assert.Null(await Accounts.SignInAsync("v1", "acct_2", "Ada", "12125550100", Now + 5, Token));
        Assert.Null(await Accounts.SignInAsync("v1", "acct_3", "Bob", "12125550111", Now + 5, Token));
        Assert.Null(await Accounts.FindAsync("12125550111", Token));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT COUNT(*) FROM signup_sign_ins"));
    }
}

[Trait("Storage", "sqlite-only")]
public sealed class AccountStoreOnSqlite() : AccountStoreContract(TestDatabase.Sqlite);

[Trait("Storage", "postgres-only")]
public sealed class AccountStoreOnPostgres() : AccountStoreContract(TestDatabase.Postgres);
