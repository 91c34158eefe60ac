using OtpGate.Verification.Contract;
using OtpGate.Verification.Limits;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Tests.Properties;

/// <summary>One step of a generated history.</summary>
public enum Step
{
    Start,
    Resend,
    CheckRight,
    CheckWrong,
    Cancel,
    Advance,
}

/// <summary>What an operation answered, reduced to what the model predicts.</summary>
public sealed record Outcome(Refusal? Refusal, string? Limit, VerificationStatus? Status, int? AttemptsLeft, TimeSpan? RetryAfter);

/// <summary>
/// A deliberately simple in-memory model of one phone's verifications under the default options, written from
/// docs/architecture.md and the README's security model rather than from the engine's code. The property test runs the same history on both.
/// </summary>
public sealed class LifecycleModel
{
    private const int MaxAttempts = 5;
    private const int MaxSends = 5;
    private const int MaxFailures = 20;
    private const int FailuresBeforeDelay = 5;
    private static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LongestDelay = TimeSpan.FromHours(1);
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Cooldown = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan SameCodeMinimum = TimeSpan.FromMinutes(2);

    private readonly List<DateTimeOffset> _sends = [];
    private readonly List<DateTimeOffset> _failures = [];

    // The starter's own failures (one starter here): a right code clears them, never the phone's.
    private readonly List<DateTimeOffset> _starterFailures = [];
    private Current? _current;

    public bool HasVerification => _current is not null;

    public Outcome Start(DateTimeOffset now)
    {
        if (_current is { Status: VerificationStatus.Pending } live && live.ExpiresAt > now)
        {
            if (live.NextResendAt <= now && live.Sends < MaxSends && SendLimit(now) is null)
            {
                Resend(live, now);
            }

            return Ok(live, now);
        }

        if (SendLimit(now) is { } limit)
        {
            return new Outcome(Refusal.RateLimited, limit, null, null, null);
        }

        _current = new Current { ExpiresAt = now + Lifetime, Sends = 1, NextResendAt = now + Cooldown };
        _sends.Add(now);
        return Ok(_current, now);
    }

    public Outcome? Resend(DateTimeOffset now)
    {
        if (_current is not { } v)
        {
            return null;
        }

        if (Ended(v, now) is { } ended)
        {
            return ended;
        }

        if (v.Sends >= MaxSends)
        {
            return Refused(v, Refusal.RateLimited, LimitNames.VerificationSends, null);
        }

        if (v.NextResendAt > now)
        {
            return Refused(v, Refusal.Cooldown, null, v.NextResendAt - now);
        }

        if (SendLimit(now) is { } limit)
        {
            return Refused(v, Refusal.RateLimited, limit, null);
        }

        Resend(v, now);
        return Ok(v, now);
    }

    public Outcome? Check(bool right, DateTimeOffset now)
    {
        if (_current is not { } v)
        {
            return null;
        }

        if (Ended(v, now) is { } ended)
        {
            return ended;
        }

        if (v.Attempts >= MaxAttempts)
        {
            v.Status = VerificationStatus.MaxAttemptsReached;
            return Refused(v, Refusal.MaxAttemptsReached, null, null);
        }

        // A fresh code's first comparison is always made; any other waits for the phone's cap and the starter's delay.
        if (!v.Fresh)
        {
            if (_failures.Count(f => f > now - TimeSpan.FromHours(24)) >= MaxFailures)
            {
                return Refused(v, Refusal.RateLimited, LimitNames.PhoneFailedChecks, null);
            }

            var mine = _starterFailures.Where(f => f > now - TimeSpan.FromHours(24)).ToList();
            if (mine.Count >= FailuresBeforeDelay)
            {
                var delay = FirstDelay * Math.Pow(2, mine.Count - FailuresBeforeDelay);
                if (mine.Max() + (delay < LongestDelay ? delay : LongestDelay) > now)
                {
                    return Refused(v, Refusal.RateLimited, LimitNames.FailedChecksDelay, null);
                }
            }
        }

        v.Attempts++;
        v.Fresh = false;
        if (right)
        {
            v.Status = VerificationStatus.Approved;
            _starterFailures.Clear();
            return Ok(v, now);
        }

        _failures.Add(now);
        _starterFailures.Add(now);
        var left = MaxAttempts - v.Attempts;
        if (left == 0)
        {
            v.Status = VerificationStatus.MaxAttemptsReached;
        }

        return new Outcome(Refusal.WrongCode, null, v.Status, left, null);
    }

    public Outcome? Cancel(DateTimeOffset now)
    {
        if (_current is not { } v)
        {
            return null;
        }

        if (Ended(v, now) is { } ended)
        {
            return ended;
        }

        v.Status = VerificationStatus.Canceled;
        return Ok(v, now);
    }

    private static void Resend(Current v, DateTimeOffset now, List<DateTimeOffset> sends)
    {
        if (v.ExpiresAt - now < SameCodeMinimum)
        {
            v.ExpiresAt = now + Lifetime; // a new code, with a new lifetime; attempts are kept
        }

        v.Sends++;
        v.Fresh = true;
        v.NextResendAt = now + (Cooldown * Math.Pow(2, v.Sends - 1));
        sends.Add(now);
    }

    private void Resend(Current v, DateTimeOffset now) => Resend(v, now, _sends);

    private string? SendLimit(DateTimeOffset now) =>
        _sends.Count(s => s > now - TimeSpan.FromMinutes(10)) >= 5 ? LimitNames.PhoneSends10Minutes
        : _sends.Count(s => s > now - TimeSpan.FromHours(24)) >= 10 ? LimitNames.PhoneSendsDay
        : null;

    private static Outcome? Ended(Current v, DateTimeOffset now)
    {
        if (v.Status == VerificationStatus.Pending && v.ExpiresAt <= now)
        {
            v.Status = VerificationStatus.Expired;
        }

        return v.Status switch
        {
            VerificationStatus.Pending => null,
            VerificationStatus.Approved => Refused(v, Refusal.AlreadyApproved, null, null),
            VerificationStatus.Expired => Refused(v, Refusal.Expired, null, null),
            VerificationStatus.MaxAttemptsReached => Refused(v, Refusal.MaxAttemptsReached, null, null),
            VerificationStatus.Canceled => Refused(v, Refusal.Canceled, null, null),
            _ => Refused(v, Refusal.Failed, null, null),
        };
    }

    private static Outcome Ok(Current v, DateTimeOffset now) => new(null, null, v.Status, v.Status == VerificationStatus.Pending ? MaxAttempts - v.Attempts : 0, null);

    private static Outcome Refused(Current v, Refusal refusal, string? limit, TimeSpan? retryAfter) => new(refusal, limit, v.Status, null, retryAfter);

    private sealed class Current
    {
        public VerificationStatus Status { get; set; } = VerificationStatus.Pending;
        public DateTimeOffset ExpiresAt { get; set; }
        public int Attempts { get; set; }
        public int Sends { get; set; }
        public bool Fresh { get; set; } = true;
        public DateTimeOffset NextResendAt { get; set; }
    }
}
