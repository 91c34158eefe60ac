namespace OtpGate.PumpingSim;

/// <summary>What the attacker does: sweeps sequential numbers, also checks wrong codes to fake conversion, or spreads slowly over many prefixes.</summary>
internal enum Attack
{
    Sweep,
    FakeConversion,
    Spread,
}

/// <summary>One run: how long, how many real users a minute, when the attacker starts and how fast.</summary>
/// <param name="AttemptsPerMinute">Per swept prefix (sweeps), or in all (spread).</param>
internal sealed record Scenario(string Name, Attack Attack, int Minutes, int LegitPerMinute, int AttackFromMinute, int AttemptsPerMinute, int Seed)
{
    /// <summary>Where real users are, with weights (a share of 100).</summary>
    public static readonly (string Region, int Weight)[] LegitRegions =
        [("US", 30), ("BR", 15), ("IN", 15), ("GB", 8), ("DE", 6), ("MX", 6), ("ID", 6), ("NG", 4), ("FR", 4), ("ES", 3), ("IT", 3)];

    /// <summary>The swept prefixes: one inside a busy country's real traffic (US), one in a quieter one (GB), one where no real user is (UZ).</summary>
    public static readonly string[] SweptRegions = ["US", "GB", "UZ"];

    /// <summary>Where the spreading attacker draws random numbers (many prefixes each).</summary>
    public static readonly string[] SpreadRegions = ["US", "BR", "IN", "UZ", "KE"];

    /// <summary>The three runs at full scale: two hours, 40 real users a minute, the attacker from minute 10.</summary>
    public static Scenario[] Full(int seed) =>
    [
        new("sweep", Attack.Sweep, 120, 40, 10, 60, seed),
        new("sweep, wrong codes checked", Attack.FakeConversion, 120, 40, 10, 60, seed),
        new("spread over many prefixes, slowly", Attack.Spread, 120, 40, 10, 6, seed),
    ];

    /// <summary>The same at small scale, for the test: 25 minutes, 12 real users a minute.</summary>
    public static Scenario[] Small(int seed) =>
    [
        new("sweep", Attack.Sweep, 25, 12, 3, 30, seed),
        new("sweep, wrong codes checked", Attack.FakeConversion, 25, 12, 3, 30, seed),
        new("spread over many prefixes, slowly", Attack.Spread, 25, 12, 3, 6, seed),
    ];
}
