using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Fraud;

/// <summary>
/// What a rule names (<c>prefix:&lt;digits&gt;</c> or <c>number:&lt;digits&gt;</c>) and which rule decides: the most
/// specific in force, so an allowed number passes in a blocked prefix and a blocked number is refused in an allowed one.
/// </summary>
internal static class FraudTargets
{
    public const string Allow = "allow";
    public const string Block = "block";

    public static string Prefix(string digits) => "prefix:" + digits;

    public static string Number(string digits) => "number:" + digits;

    /// <summary>Every target that may hold a rule for the number: the number, and each of its prefixes of 1 digit and more.</summary>
    public static IReadOnlyList<string> Of(string digits)
    {
        var targets = new List<string>(digits.Length) { Number(digits) };
        for (var length = 1; length < digits.Length; length++)
        {
            targets.Add(Prefix(digits[..length]));
        }

        return targets;
    }

    /// <summary><see cref="Allow"/>, <see cref="Block"/>, or null when no rule is in force for the number.</summary>
    public static string? Decide(IEnumerable<FraudRow> rows) =>
        rows.Where(r => r.Kind is not null)
            .OrderByDescending(r => r.Key.StartsWith("number:", StringComparison.Ordinal) ? int.MaxValue : r.Key.Length)
            .Select(r => r.Kind)
            .FirstOrDefault();
}
