namespace OtpGate.Cli.Doctor;

/// <summary>A check's verdict. Only <see cref="Fail"/> (and a check skipped because another failed) makes the doctor exit non-zero.</summary>
internal enum Verdict
{
    Pass,
    Warn,
    Fail,
    Skip,
}

/// <summary>One line of the checklist: what was checked, the verdict, what was found, and how to fix it (when it is not a pass).</summary>
internal sealed record Check(string Id, string Title, Verdict Verdict, string Detail, string? Fix = null)
{
    public static Check Pass(string id, string title, string detail) => new(id, title, Verdict.Pass, detail);

    public static Check Warn(string id, string title, string detail, string fix) => new(id, title, Verdict.Warn, detail, fix);

    public static Check Fail(string id, string title, string detail, string fix) => new(id, title, Verdict.Fail, detail, fix);

    /// <summary>Not checked because an earlier line failed; that line carries the fix.</summary>
    public static Check Skip(string id, string title, string because) => new(id, title, Verdict.Skip, $"Not checked: {because}");
}
