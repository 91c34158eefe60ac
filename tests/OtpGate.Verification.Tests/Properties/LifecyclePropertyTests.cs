using CsCheck;
using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Tests.Properties;

/// <summary>
/// Model-based test: random histories of start, resend, check (right or wrong), cancel and clock advances run on the
/// real engine (real SQLite) and on <see cref="LifecycleModel"/>; every answer must agree. Each history uses its own
/// phone number, so the histories share one database without affecting each other.
/// </summary>
public sealed class LifecyclePropertyTests
{
    private static readonly int[] AdvanceSeconds = [1, 15, 29, 30, 31, 59, 61, 119, 121, 480, 599, 601, 3600, 86400];

    private static readonly Gen<(Step Step, int Seconds)> StepGen =
        Gen.Frequency(
            (3, Gen.Const(Step.Start)),
            (2, Gen.Const(Step.Resend)),
            (1, Gen.Const(Step.CheckRight)),
            (4, Gen.Const(Step.CheckWrong)),
            (1, Gen.Const(Step.Cancel)),
            (3, Gen.Const(Step.Advance)))
        .Select(Gen.Int[0, AdvanceSeconds.Length - 1], (step, i) => (step, AdvanceSeconds[i]));

    // 10,000 histories on SQLite; the PostgreSQL pass runs fewer, as each of its round trips costs more.
    private static int Histories => PostgresTestServer.IsSelected ? 1_500 : 10_000;

    [Fact]
    public async Task The_engine_agrees_with_the_model_on_ten_thousand_random_histories()
    {
        // tmpfs keeps 10,000 histories of fsync'ed commits to seconds; durability is not what this test is about.
        // The model has no fraud guard: its thousands of starts to sequential numbers in one prefix are a sweep to it.
        var settings = new Dictionary<string, string?> { ["Fraud:Enabled"] = "false" };
        if (Directory.Exists("/dev/shm"))
        {
            settings["Storage:DataDirectory"] = Path.Combine("/dev/shm", "otpgate-model-" + Environment.ProcessId);
        }

        await using var engine = await Engine.StartAsync(settings: settings);
        var phones = 0;

        await StepGen.Array[1, 24].SampleAsync(async steps =>
        {
            var phone = $"+1646{200 + (Interlocked.Increment(ref phones) / 10_000 % 700):D3}{phones % 10_000:D4}";
            await RunHistoryAsync(engine, phone, steps);
        }, iter: Histories, threads: 1, print: steps => string.Join(", ", steps.Select(s => s.Step == Step.Advance ? $"Advance({s.Seconds}s)" : s.Step.ToString())));

        if (settings.TryGetValue("Storage:DataDirectory", out var shm) && Directory.Exists(shm))
        {
            Directory.Delete(shm!, recursive: true);
        }
    }

    private static async Task RunHistoryAsync(Engine engine, string phone, (Step Step, int Seconds)[] steps)
    {
        var model = new LifecycleModel();
        string? id = null;
        var service = engine.Verifications;
        var none = CancellationToken.None;
        for (var i = 0; i < steps.Length; i++)
        {
            var now = engine.Time.GetUtcNow();
            Outcome? expected;
            Outcome? actual;
            switch (steps[i].Step)
            {
                case Step.Start:
                    expected = model.Start(now);
                    var started = await service.StartAsync(Engine.Owner, new StartRequest(phone), none);
                    id = started.Verification?.Id ?? id;
                    actual = started.Refusal is { } r ? Of(r) : Of(started.Verification!);
                    break;
                case Step.Resend when id is not null:
                    expected = model.Resend(now);
                    actual = Of(await service.ResendAsync(Engine.Owner, id, none));
                    break;
                case Step.CheckRight or Step.CheckWrong when id is not null:
                    var right = steps[i].Step == Step.CheckRight;
                    var code = right ? await CurrentCodeAsync(engine, id) : null;
                    expected = model.Check(right && code is not null, now);
                    actual = Of(await service.CheckAsync(Engine.Owner, id, right && code is not null ? code : await engine.WrongCodeAsync(id), none));
                    break;
                case Step.Cancel when id is not null:
                    expected = model.Cancel(now);
                    actual = Of(await service.CancelAsync(Engine.Owner, id, none));
                    break;
                case Step.Advance:
                    engine.Time.Advance(TimeSpan.FromSeconds(steps[i].Seconds));
                    continue;
                default:
                    continue;
            }

            Assert.True(Agree(expected!, actual), $"Step {i} ({steps[i].Step}) diverged: model {expected}, engine {actual}");
        }
    }

    // The right code is only readable while the verification is pending (the engine erases it at the end).
    private static async Task<string?> CurrentCodeAsync(Engine engine, string id)
    {
        var pending = await engine.ScalarAsync<long>("SELECT COUNT(*) FROM verifications WHERE id = @id AND code_cipher IS NOT NULL", new { id });
        return pending == 1 ? await engine.ReadCodeAsync(id) : null;
    }

    private static bool Agree(Outcome expected, Outcome actual) =>
        expected.Refusal == actual.Refusal
        && expected.Limit == actual.Limit
        && expected.Status == actual.Status
        && (expected.AttemptsLeft is null || expected.AttemptsLeft == actual.AttemptsLeft)
        && (expected.RetryAfter is null || expected.RetryAfter == actual.RetryAfter);

    private static Outcome Of(VerificationSnapshot v) => new(null, null, v.Status, v.AttemptsLeft, null);

    private static Outcome Of(Refused r) => new(r.Reason, r.Limit, r.Verification?.Status, r.AttemptsLeft, r.RetryAfter);

    private static Outcome Of(OperationResult result) => result.Refusal is { } r ? Of(r) : Of(result.Verification!);
}
