using Microsoft.Extensions.Options;
using OtpGate.Verification.Services;
using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Tests.Storage.Contract;

/// <summary>The <c>services</c> table through <see cref="ServiceCatalog"/> (its only caller), on each database.</summary>
public abstract class ServiceStoreContract(TestDatabase kind) : StoreContract(kind)
{
    private ServiceCatalog Catalog(Database? database = null) =>
        new(database ?? Database, Options.Create(new VerificationOptions()), TimeProvider.System);

    [Fact]
    public async Task A_created_service_is_found_listed_and_has_a_twilio_shaped_sid()
    {
        var created = await Catalog().CreateAsync("shop", "Shop", new ServiceSettings { CodeLength = 8 }, Token);

        Assert.NotNull(created);
        Assert.Matches("^VA[0-9a-f]{32}$", created.Sid);
        Assert.Equal((1L, ServiceSource.Api, 8), (created.Version, created.Source, created.Settings.CodeLength));
        var found = (await Catalog().FindAsync("shop", Token))!;
        Assert.Equal((created.Sid, created.Version, created.FriendlyName, 8), (found.Sid, found.Version, found.FriendlyName, found.Settings.CodeLength));
        Assert.Equal(["shop"], (await Catalog().ListAsync(Token)).Select(s => s.Id));
        Assert.Null(await Catalog().CreateAsync("shop", "Again", new ServiceSettings(), Token));
        Assert.Null(await Catalog().FindAsync("nothing", Token));
    }

    [Fact]
    public async Task An_update_raises_the_version_and_another_catalog_on_the_database_sees_it_in_its_next_transaction()
    {
        var first = Catalog();
        var second = Catalog();
        await first.CreateAsync("shop", "Shop", new ServiceSettings(), Token);
        Assert.Equal(6, (await WriteAsync(s => second.FindAsync(s, "shop")))!.Settings.CodeLength);

        var updated = await first.UpdateAsync("shop", "Shop EU", new ServiceSettings { CodeLength = 4 }, Token);

        Assert.Equal(2L, updated!.Version);
        var seen = (await WriteAsync(s => second.FindAsync(s, "shop")))!;
        Assert.Equal(("Shop EU", 4, 2L), (seen.FriendlyName, seen.Settings.CodeLength, seen.Version));
        Assert.Null(await first.UpdateAsync("nothing", "x", new ServiceSettings(), Token));
    }

    [Fact]
    public async Task Seeding_writes_a_declared_service_only_when_it_differs_and_keeps_its_sid()
    {
        ServiceDeclaration[] declared = [new("default", "Default", new ServiceSettings()), new("shop", "Shop", new ServiceSettings { MaxAttempts = 3 })];

        Assert.Equal(2, (await Catalog().SeedAsync(declared, Token)).Changed);
        var sid = (await Catalog().FindAsync("shop", Token))!.Sid;
        Assert.Equal(0, (await Catalog().SeedAsync(declared, Token)).Changed);
        Assert.Equal(1, (await Catalog().SeedAsync([declared[0], declared[1] with { Settings = new ServiceSettings { MaxAttempts = 4 } }], Token)).Changed);

        var shop = (await Catalog().FindAsync("shop", Token))!;
        Assert.Equal((sid, 2L, 4, ServiceSource.Configuration), (shop.Sid, shop.Version, shop.Settings.MaxAttempts, shop.Source));
    }

    [Fact]
    public async Task A_service_no_longer_declared_stays_and_is_handed_over_to_the_api()
    {
        ServiceDeclaration[] declared = [new("default", "Default", new ServiceSettings()), new("shop", "Shop", new ServiceSettings { MaxAttempts = 3 })];
        await Catalog().SeedAsync(declared, Token);
        Assert.Equal(ServiceDeletion.IsConfigured, await Catalog().DeleteAsync("shop", Token));

        var seeding = await Catalog().SeedAsync([declared[0]], Token);

        Assert.Equal(["shop"], seeding.Released);
        var shop = (await Catalog().FindAsync("shop", Token))!;
        Assert.Equal((ServiceSource.Api, 3, 2L), (shop.Source, shop.Settings.MaxAttempts, shop.Version));
        Assert.Empty((await Catalog().SeedAsync([declared[0]], Token)).Released);
        Assert.Equal(ServiceDeletion.Deleted, await Catalog().DeleteAsync("shop", Token));
    }

    [Fact]
    public async Task Deleting_refuses_the_default_service_and_one_with_a_pending_verification()
    {
        await Catalog().SeedAsync([new("default", "Default", new ServiceSettings())], Token);
        await Catalog().CreateAsync("busy", "Busy", new ServiceSettings(), Token);
        await Catalog().CreateAsync("idle", "Idle", new ServiceSettings(), Token);
        await InsertAsync(Pending("v1"));
        await WriteAsync(s => Dapper.SqlMapper.ExecuteAsync(s.Connection, "UPDATE verifications SET service_id = 'busy'", transaction: s.Transaction));

        Assert.Equal(ServiceDeletion.IsDefault, await Catalog().DeleteAsync("default", Token));
        Assert.Equal(ServiceDeletion.HasPending, await Catalog().DeleteAsync("busy", Token));
        Assert.Equal(ServiceDeletion.Deleted, await Catalog().DeleteAsync("idle", Token));
        Assert.Equal(ServiceDeletion.NotFound, await Catalog().DeleteAsync("idle", Token));
        Assert.Equal(["busy", "default"], (await Catalog().ListAsync(Token)).Select(s => s.Id));
    }
}

public sealed class ServiceStoreOnSqlite() : ServiceStoreContract(TestDatabase.Sqlite);

[Trait("Storage", "postgres-only")]
public sealed class ServiceStoreOnPostgres() : ServiceStoreContract(TestDatabase.Postgres);
