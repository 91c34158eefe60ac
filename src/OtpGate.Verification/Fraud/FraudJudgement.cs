namespace OtpGate.Verification.Fraud;

/// <summary>What a start learnt about one prefix of its number: starts this minute, and over the window its judged starts and approvals.</summary>
internal readonly record struct PrefixCounts(string Prefix, long NowStarts, long Judged, long Approvals)
{
    public double Conversion => Judged == 0 ? 0 : (double)Approvals / Judged;
}

/// <summary>
/// The guard's two rules as arithmetic, with no storage: the start rate a prefix and a country may take this minute
/// (velocity), and the prefix whose conversion is surely too low (conversion). docs/architecture.md, "Fraud guard",
/// says why each is what it is.
/// </summary>
internal static class FraudJudgement
{
    // 99 % two-sided: a prefix is blocked only when even the top of its conversion's interval is under the threshold,
    // so a real prefix that had a bad few minutes is not.
    private const double Z = 2.576;

    public enum Velocity
    {
        Normal,
        PrefixTooFast,
        CountryTooFast,
    }

    /// <summary>
    /// Whether one more start fits this minute, judged by approvals, which only real users make: a prefix may take
    /// <see cref="FraudOptions.PrefixBurstFactor"/> times its share of its country's approvals over the window, of the
    /// country's starts this minute (at least <see cref="FraudOptions.PrefixStartsPerMinute"/>); a launch raises every
    /// prefix of a country together and keeps each one's share, a sweep puts one prefix far over its share, and its own
    /// unapproved starts never raise it. A country may take <see cref="FraudOptions.CountryBurstFactor"/> times its
    /// approvals per minute over the window (at least <see cref="FraudOptions.CountryStartsPerMinute"/>).
    /// </summary>
    /// <param name="country">The country's counts (the shortest prefix).</param>
    /// <param name="longest">The counts of the number's longest prefix.</param>
    public static Velocity CheckVelocity(FraudOptions options, PrefixCounts country, PrefixCounts longest)
    {
        var countryNow = country.NowStarts + 1;
        var windowMinutes = Math.Max(1, options.Window.TotalMinutes);
        var countryLimit = Math.Max(options.CountryStartsPerMinute, options.CountryBurstFactor * country.Approvals / windowMinutes);
        if (countryNow > countryLimit)
        {
            return Velocity.CountryTooFast;
        }

        if (country.Prefix == longest.Prefix)
        {
            return Velocity.Normal;
        }

        var usualShare = country.Approvals == 0 ? 0 : (double)longest.Approvals / country.Approvals;
        var prefixLimit = Math.Max(options.PrefixStartsPerMinute, options.PrefixBurstFactor * usualShare * countryNow);
        return longest.NowStarts + 1 > prefixLimit ? Velocity.PrefixTooFast : Velocity.Normal;
    }

    /// <summary>
    /// The longest of a number's prefixes (shortest first in <paramref name="prefixes"/>) whose conversion is surely
    /// under its threshold, with the baseline it was judged against; null when none is. A prefix is judged once it has
    /// <see cref="FraudOptions.MinSends"/> judged starts. The country (the first) is judged against the floor; a longer
    /// prefix against half (<see cref="FraudOptions.BaselineShare"/>) the conversion of the rest of its country, never
    /// above the floor, so a country where codes convert less (WhatsApp less common) is judged by its own measure.
    /// </summary>
    public static (PrefixCounts Prefix, double Threshold)? FindFailing(FraudOptions options, IReadOnlyList<PrefixCounts> prefixes)
    {
        var country = prefixes[0];
        for (var i = prefixes.Count - 1; i >= 0; i--)
        {
            var prefix = prefixes[i];
            if (prefix.Judged < options.MinSends)
            {
                continue;
            }

            var threshold = i == 0 ? options.ConversionFloor : Threshold(options, country, prefix);
            if (UpperBound(prefix.Approvals, prefix.Judged) < threshold)
            {
                return (prefix, threshold);
            }
        }

        return null;
    }

    private static double Threshold(FraudOptions options, PrefixCounts country, PrefixCounts prefix)
    {
        var restJudged = country.Judged - prefix.Judged;
        if (restJudged < options.MinSends)
        {
            return options.ConversionFloor;
        }

        var rest = (double)(country.Approvals - prefix.Approvals) / restJudged;
        return Math.Min(options.ConversionFloor, options.BaselineShare * rest);
    }

    /// <summary>The top of the Wilson score interval of <paramref name="successes"/> in <paramref name="trials"/>.</summary>
    public static double UpperBound(long successes, long trials)
    {
        if (trials == 0)
        {
            return 1;
        }

        var n = (double)trials;
        var p = successes / n;
        var z2 = Z * Z;
        return (p + z2 / (2 * n) + Z * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n))) / (1 + z2 / n);
    }
}
