using Microsoft.Extensions.DependencyInjection;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Services;
using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Tests.Services;

/// <summary>
/// A verification belongs to its owner within a service, and uses that service's settings; on SQLite and, in the
/// PostgreSQL pass, on PostgreSQL.
/// </summary>
public sealed class ServiceIsolationTests
{
    private static CancellationToken None => CancellationToken.None;

    private static async Task<ServiceCatalog> WithServicesAsync(Engine engine, params (string Id, ServiceSettings Settings)[] services)
    {
        var catalog = engine.Services.GetRequiredService<ServiceCatalog>();
        foreach (var (id, settings) in services)
        {
            Assert.NotNull(await catalog.CreateAsync(id, id, settings, None));
        }

        return catalog;
    }

    [Fact]
    public async Task The_same_key_name_in_another_service_gets_not_found_for_every_operation()
    {
        await using var engine = await Engine.StartAsync();
        await WithServicesAsync(engine, ("shop", new ServiceSettings()), ("bank", new ServiceSettings()));
        var shop = VerificationOwner.ApiKey("app", "shop");
        var bank = VerificationOwner.ApiKey("app", "bank");
        var id = (await engine.Verifications.StartAsync(shop, new StartRequest("+1 212 555 0100"), None)).Verification!.Id;
        var code = await engine.ReadCodeAsync(id);

        Assert.Null(await engine.Verifications.GetAsync(bank, id, None));
        Assert.Null(await engine.Verifications.GetAsync(VerificationOwner.ApiKey("app"), id, None));
        foreach (var result in new[]
        {
            await engine.Verifications.CheckAsync(bank, id, code, None),
            await engine.Verifications.ResendAsync(bank, id, None),
            await engine.Verifications.CancelAsync(bank, id, None),
        })
        {
            Assert.Equal((Refusal.NotFound, "No verification has this id."), (result.Refusal!.Reason, result.Refusal.Message));
        }

        // The other service's start for the same phone is a verification of its own, not the pending one.
        var bankStart = await engine.Verifications.StartAsync(bank, new StartRequest("+1 212 555 0100"), None);
        Assert.True(bankStart.Created);
        Assert.NotEqual(id, bankStart.Verification!.Id);
        Assert.Equal("shop", await engine.ScalarAsync<string>("SELECT service_id FROM verifications WHERE id = @id", new { id }));
        Assert.True((await engine.Verifications.CheckAsync(shop, id, code, None)).Succeeded);
    }

    [Fact]
    public async Task A_start_uses_its_services_code_length_lifetime_attempts_countries_and_test_numbers()
    {
        await using var engine = await Engine.StartAsync();
        await WithServicesAsync(engine, ("strict", new ServiceSettings
        {
            CodeLength = 8, CodeLifetime = TimeSpan.FromMinutes(3), MaxAttempts = 2, DeniedCountries = ["GB"],
            TestNumbers = new() { ["+1 212 555 0199"] = "12345678" },
        }));
        var strict = VerificationOwner.ApiKey("app", "strict");

        var started = (await engine.Verifications.StartAsync(strict, new StartRequest("+1 212 555 0100"), None)).Verification!;
        Assert.Equal(8, (await engine.ReadCodeAsync(started.Id)).Length);
        Assert.Equal(TimeSpan.FromMinutes(3), started.ExpiresAt - started.CreatedAt);
        Assert.Equal(2, started.AttemptsLeft);
        Assert.Equal(Refusal.CountryNotAllowed, (await engine.Verifications.StartAsync(strict, new StartRequest("+44 20 7946 0958"), None)).Refusal!.Reason);
        Assert.True((await engine.Verifications.StartAsync(strict, new StartRequest("+1 212 555 0199"), None)).Verification!.IsTest);

        // The default service keeps the configuration's: 6 digits, 5 attempts, Britain allowed, no test number.
        var plain = (await engine.Verifications.StartAsync(Engine.Owner, new StartRequest("+44 20 7946 0958"), None)).Verification!;
        Assert.Equal((6, 5), ((await engine.ReadCodeAsync(plain.Id)).Length, plain.AttemptsLeft));
        Assert.False((await engine.Verifications.StartAsync(Engine.Owner, new StartRequest("+1 212 555 0199"), None)).Verification!.IsTest);
    }

    [Fact]
    public async Task A_check_reads_the_code_length_of_its_service()
    {
        await using var engine = await Engine.StartAsync();
        await WithServicesAsync(engine, ("long", new ServiceSettings { CodeLength = 8 }));
        var owner = VerificationOwner.ApiKey("app", "long");
        var id = (await engine.Verifications.StartAsync(owner, new StartRequest("+1 212 555 0100"), None)).Verification!.Id;

        var sixDigits = await engine.Verifications.CheckAsync(owner, id, "123456", None);

        Assert.Equal((Refusal.InvalidRequest, "The code must be the 8 digits of the message."), (sixDigits.Refusal!.Reason, sixDigits.Refusal.Message));
        Assert.True((await engine.Verifications.CheckAsync(owner, id, await engine.ReadCodeAsync(id), None)).Succeeded);
    }

    [Fact]
    public async Task A_key_whose_service_does_not_exist_cannot_start()
    {
        await using var engine = await Engine.StartAsync();

        var result = await engine.Verifications.StartAsync(VerificationOwner.ApiKey("app", "gone"), new StartRequest("+1 212 555 0100"), None);

        Assert.Equal(Refusal.ServiceNotFound, result.Refusal!.Reason);
        Assert.Equal("This key's service \"gone\" does not exist; create it (POST /v1/services with an admin key, or otpgate services create gone), "
            + "or point Api:ServiceKeys:app:Service at an existing service and restart.", result.Refusal.Message);
        Assert.Equal(0L, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM verifications"));
    }

    [Fact]
    public async Task A_service_changed_by_one_engine_is_used_by_the_next_start_on_the_other()
    {
        // Two engines on one database: two instances on PostgreSQL in its pass; on SQLite, the catalog of a second
        // engine writing the same file stands for an admin change made elsewhere.
        await using var engine = await Engine.StartAsync();
        var catalog = await WithServicesAsync(engine, ("shop", new ServiceSettings()));
        var owner = VerificationOwner.ApiKey("app", "shop");
        var first = (await engine.Verifications.StartAsync(owner, new StartRequest("+1 212 555 0100"), None)).Verification!;
        Assert.Equal(6, (await engine.ReadCodeAsync(first.Id)).Length);

        await catalog.UpdateAsync("shop", "shop", new ServiceSettings { CodeLength = 9 }, None);

        var second = (await engine.Verifications.StartAsync(owner, new StartRequest("+1 212 555 0101"), None)).Verification!;
        Assert.Equal(9, (await engine.ReadCodeAsync(second.Id)).Length);
    }
}
