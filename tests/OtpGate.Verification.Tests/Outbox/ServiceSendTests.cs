using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OtpGate.Sandbox;
using OtpGate.Sandbox.Templates;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Outbox;
using OtpGate.Verification.Services;
using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Verifications;
using static OtpGate.Verification.Tests.Support.DeliveryHarness;

namespace OtpGate.Verification.Tests.Outbox;

/// <summary>
/// A send follows its verification's service: the template it names for the locale, the message time to live its code
/// lifetime allows, and its rule for the automatic resend after an unclear answer. Through the real sandbox.
/// </summary>
public sealed class ServiceSendTests
{
    private static CancellationToken None => CancellationToken.None;

    private static FakeTimeProvider NewClock() => new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    private static async Task<ServiceCatalog> WithServiceAsync(Engine engine, string id, ServiceSettings settings)
    {
        var catalog = engine.Services.GetRequiredService<ServiceCatalog>();
        Assert.NotNull(await catalog.CreateAsync(id, id, settings, None));
        return catalog;
    }

    private static async Task<string> StartAsync(Engine engine, VerificationOwner owner, string phone, string? locale = null)
    {
        var result = await engine.Verifications.StartAsync(owner, new StartRequest(phone, Locale: locale), None);
        Assert.Null(result.Refusal);
        return result.Verification!.Id;
    }

    [Fact]
    public async Task A_service_sends_the_template_it_names_for_the_locale_and_the_configured_one_for_any_other()
    {
        await using var sandbox = await SandboxServer.StartAsync(o =>
        {
            foreach (var (name, language) in new[] { ("shop_otp", "en"), ("shop_otp_fr", "fr"), ("registro_otp", "es") })
            {
                o.Templates.Add(new SandboxTemplate { Name = name, Namespace = "otpgate_sandbox", Language = language });
            }
        }, cancellationToken: TestContext.Current.CancellationToken);
        await using var engine = await Engine.StartAsync(sandbox: sandbox, time: TimeProvider.System,
            settings: new() { ["OneMsg:Templates:es:Name"] = "registro_otp" });
        await WithServiceAsync(engine, "shop", new ServiceSettings { Templates = new() { ["en"] = "shop_otp", ["fr"] = "shop_otp_fr" } });
        var shop = VerificationOwner.ApiKey("app", "shop");
        await StartAsync(engine, shop, "+1 212 555 0120", "en");
        await StartAsync(engine, shop, "+1 212 555 0121", "fr-CA");
        await StartAsync(engine, shop, "+1 212 555 0122", "es");
        await StartAsync(engine, Engine.Owner, "+1 212 555 0123", "en");

        await engine.Dispatcher.DispatchDueAsync(None);

        (string, string) Template(string digits) =>
            sandbox.Messages.GetLatestMessage(digits) is { } m ? (m.TemplateName, m.TemplateLanguage) : ("(nothing sent)", "");
        Assert.Equal(("shop_otp", "en"), Template("12125550120"));
        // The service names "fr" only: a Canadian French verification gets it, in the language the service named it for.
        Assert.Equal(("shop_otp_fr", "fr"), Template("12125550121"));
        // The service names nothing for Spanish: the channel's configuration chooses, as it does for the default service.
        Assert.Equal(("registro_otp", "es"), Template("12125550122"));
        Assert.Equal(("registration_otp", "en"), Template("12125550123"));
    }

    [Fact]
    public async Task A_service_with_a_longer_code_lifetime_gets_a_longer_message_ttl_and_a_change_governs_the_next_send()
    {
        var time = NewClock();
        await using var sandbox = await StartSandboxAsync(time);
        await using var engine = await StartEngineOnFakeClockAsync(sandbox, time);
        var catalog = await WithServiceAsync(engine, "long", new ServiceSettings { CodeLifetime = TimeSpan.FromMinutes(14) });
        var owner = VerificationOwner.ApiKey("app", "long");
        await StartAsync(engine, owner, "+1 212 555 0120");
        await StartAsync(engine, Engine.Owner, "+1 212 555 0121");

        await engine.Dispatcher.DispatchDueAsync(None);

        Assert.Equal(840, sandbox.Messages.GetLatestMessage("12125550120")!.Ttl.TotalSeconds);
        Assert.Equal(600, sandbox.Messages.GetLatestMessage("12125550121")!.Ttl.TotalSeconds);

        // Started under 14 minutes, sent after the service went down to 5: the message lives no longer than 5.
        await StartAsync(engine, owner, "+1 212 555 0122");
        Assert.NotNull(await catalog.UpdateAsync("long", "long", new ServiceSettings { CodeLifetime = TimeSpan.FromMinutes(5) }, None));
        await engine.Dispatcher.DispatchDueAsync(None);
        Assert.Equal(300, sandbox.Messages.GetLatestMessage("12125550122")!.Ttl.TotalSeconds);
    }

    [Fact]
    public async Task A_services_same_code_window_decides_the_automatic_resend_after_an_unclear_answer()
    {
        var time = NewClock();
        await using var sandbox = await StartSandboxAsync(time);
        await using var engine = await StartEngineOnFakeClockAsync(sandbox, time);
        await WithServiceAsync(engine, "careful", new ServiceSettings { SameCodeMinRemaining = TimeSpan.FromMinutes(8) });
        // The sandbox answers 500 for this number: the send's outcome is unknown.
        var careful = await StartAsync(engine, VerificationOwner.ApiKey("app", "careful"), "+1 212 555 0105");
        var plain = await StartAsync(engine, Engine.Owner, "+1 212 555 0105");
        time.Advance(TimeSpan.FromMinutes(3)); // 7 minutes of the code's lifetime left

        await engine.Dispatcher.DispatchDueAsync(None);

        // The default service resends while 2 minutes remain; "careful" wants 8, so it leaves the user to ask.
        Assert.Equal([SendReason.Start.ToWireName()], await ReasonsAsync(engine, careful));
        Assert.Equal([SendReason.Start.ToWireName(), SendReason.AmbiguousRetry.ToWireName()], await ReasonsAsync(engine, plain));
    }

    private static async Task<IEnumerable<string>> ReasonsAsync(Engine engine, string id)
    {
        await using var connection = await engine.Database.OpenAsync(None);
        return await Dapper.SqlMapper.QueryAsync<string>(connection, "SELECT reason FROM sends WHERE verification_id = @id ORDER BY seq", new { id });
    }
}
