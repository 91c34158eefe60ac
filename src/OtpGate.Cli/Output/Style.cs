namespace OtpGate.Cli.Output;

/// <summary>ANSI colours when standard output is a terminal and NO_COLOR is not set; plain text otherwise.</summary>
internal sealed class Style(bool enabled)
{
    public bool Enabled { get; } = enabled;

    public string Green(string text) => Wrap("32", text);

    public string Red(string text) => Wrap("31", text);

    public string Yellow(string text) => Wrap("33", text);

    public string Dim(string text) => Wrap("2", text);

    public string Bold(string text) => Wrap("1", text);

    private string Wrap(string code, string text) => Enabled && text.Length > 0 ? $"\u001b[{code}m{text}\u001b[0m" : text;
}
