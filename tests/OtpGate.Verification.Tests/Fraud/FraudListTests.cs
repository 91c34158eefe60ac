using Microsoft.Extensions.DependencyInjection;
using OtpGate.Verification.Fraud;
using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Tests.Fraud;

/// <summary>The safe list and the block list: the most specific rule in force decides, whatever the guard counted.</summary>
public sealed class FraudListTests
{
    private static CancellationToken None => CancellationToken.None;

    private static FraudTarget Prefix(string prefix) => FraudTarget.Parse(prefix, null).Target!;

    private static FraudTarget Number(string number) => FraudTarget.Parse(null, number).Target!;

    [Fact]
    public async Task A_safe_listed_prefix_is_never_refused_however_fast_and_unconverted_its_starts()
    {
        await using var engine = await Engine.StartAsync();
        await engine.Services.GetRequiredService<FraudLists>().AllowAsync(Prefix("+1 212 5"), None);
        var traffic = new Traffic(engine);
        var refused = 0;
        for (var minute = 0; minute < 5; minute++)
        {
            // 30 a minute, over the prefix's start rate, none approved: without the safe list, refused from the 11th on.
            refused += await traffic.SweepAsync("+1 212 555 ", minute * 30, 30);
            engine.Time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(0, refused);
        // The same sweep just outside the safe-listed prefix: refused by the start rate within its minute.
        Assert.Equal(20, await traffic.SweepAsync("+1 212 455 ", 0, 30));
    }

    [Fact]
    public async Task A_blocked_number_or_prefix_is_refused_and_an_allowed_number_inside_a_blocked_prefix_is_not()
    {
        await using var engine = await Engine.StartAsync();
        var lists = engine.Services.GetRequiredService<FraudLists>();
        var traffic = new Traffic(engine);
        await lists.BlockAsync(Number("+1 646 555 0100"), None);
        await lists.BlockAsync(Prefix("+44 7911"), None);
        await lists.AllowAsync(Number("+44 7911 123456"), None);

        Assert.Equal(Refusal.FraudSuspected, (await traffic.StartAsync("+1 646 555 0100")).Refusal?.Reason);
        Assert.Null((await traffic.StartAsync("+1 646 555 0101")).Refusal);
        Assert.Equal(Refusal.FraudSuspected, (await traffic.StartAsync("+44 7911 123457")).Refusal?.Reason);
        Assert.Null((await traffic.StartAsync("+44 7911 123456")).Refusal);

        Assert.True(await lists.UnblockAsync(Number("+1 646 555 0100"), None));
        Assert.False(await lists.UnblockAsync(Number("+1 646 555 0100"), None));
        Assert.Null((await traffic.StartAsync("+1 646 555 0100")).Refusal);
        var rules = await lists.ListAsync(None);
        Assert.Equal(["+44********56 allow operator", "+447911 block operator"],
            rules.Select(r => $"{r.Target.Display} {r.Kind} {r.Source}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Allowing_a_prefix_the_guard_blocked_lifts_the_block_and_keeps_it_from_coming_back()
    {
        await using var engine = await Engine.StartAsync();
        var traffic = new Traffic(engine);
        for (var minute = 0; minute < 4; minute++)
        {
            await traffic.SweepAsync("+1 212 555 ", minute * 8, 8);
            engine.Time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(Refusal.FraudSuspected, (await traffic.StartAsync("+1 212 555 9000")).Refusal?.Reason);
        await engine.Services.GetRequiredService<FraudLists>().AllowAsync(Prefix("+12125"), None);

        Assert.Equal(0, await traffic.SweepAsync("+1 212 555 ", 100, 8));
    }

    [Theory]
    [InlineData("+1 212", null, "prefix:1212")]
    [InlineData("44-7700", null, "prefix:447700")]
    [InlineData(null, "+1 (212) 555-0100", "number:12125550100")]
    public void A_target_is_a_prefix_of_digits_or_a_valid_number(string? prefix, string? number, string key) =>
        Assert.Equal(key, FraudTarget.Parse(prefix, number).Target!.Key);

    [Theory]
    [InlineData("+1 212 abc", null)]
    [InlineData("+123456789012345", null)]
    [InlineData(null, "+1 212")]
    [InlineData("+1", "+1 212 555 0100")]
    [InlineData(null, null)]
    public void Anything_else_is_refused_with_a_reason(string? prefix, string? number) =>
        Assert.NotNull(FraudTarget.Parse(prefix, number).Error);
}
