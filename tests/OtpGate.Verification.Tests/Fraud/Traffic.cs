using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Tests.Fraud;

/// <summary>
/// Starts on an engine with a fake clock, as real users and an attacker make them: real users across many prefixes of a
/// country who approve 4 starts in 5 at once, an attacker who starts sequential numbers and never approves. Each number
/// is used once, so every start is a new verification.
/// </summary>
internal sealed class Traffic(Engine engine)
{
    private static CancellationToken None => CancellationToken.None;

    private int _legit;

    /// <summary>Ten prefixes of +1 (cc+4: 16462..16466 and 17182..17186) with real users.</summary>
    public static readonly string[] LegitPrefixes = ["+1 646 2", "+1 646 3", "+1 646 4", "+1 646 5", "+1 646 6", "+1 718 2", "+1 718 3", "+1 718 4", "+1 718 5", "+1 718 6"];

    public List<StartResult> Refused { get; } = [];

    public Task<StartResult> StartAsync(string phone) => engine.Verifications.StartAsync(Engine.Owner, new StartRequest(phone), None);

    /// <summary><paramref name="count"/> real users spread over <paramref name="prefixes"/> (all of them by default), four in five approving at once (unless not <paramref name="approving"/>: later).</summary>
    public async Task LegitAsync(int count, IReadOnlyList<string>? prefixes = null, bool approving = true)
    {
        prefixes ??= LegitPrefixes;
        for (var i = 0; i < count; i++)
        {
            var n = _legit++;
            var result = await StartAsync($"{prefixes[n % prefixes.Count]}{n / prefixes.Count:D6}");
            if (result.Refusal is not null)
            {
                Refused.Add(result);
                continue;
            }

            // Each prefix's every fifth start goes unapproved: 80 % in each.
            if (approving && n / prefixes.Count % 5 != 4)
            {
                var id = result.Verification!.Id;
                Assert.True((await engine.Verifications.CheckAsync(Engine.Owner, id, await engine.ReadCodeAsync(id), None)).Succeeded);
            }
        }
    }

    /// <summary>Starts <paramref name="count"/> sequential numbers after <paramref name="prefix"/> from <paramref name="first"/> on, approving none; how many were refused.</summary>
    public async Task<int> SweepAsync(string prefix, int first, int count)
    {
        var refused = 0;
        for (var i = first; i < first + count; i++)
        {
            if ((await StartAsync($"{prefix}{i:D4}")).Refusal is { } refusal)
            {
                Assert.Equal(Refusal.FraudSuspected, refusal.Reason);
                refused++;
            }
        }

        return refused;
    }
}
