namespace OtpGate.Cli.Output;

/// <summary>
/// A plain table: upper-case headers, columns padded to their widest cell, two spaces between columns. The
/// colour of a cell is applied after padding, so escape codes never break the alignment.
/// </summary>
internal sealed class Table(params string[] headers)
{
    private readonly List<(string Text, Func<string, string>? Paint)[]> _rows = [];

    public int Count => _rows.Count;

    public void Add(params string?[] cells) => _rows.Add([.. cells.Select(c => (c ?? "", (Func<string, string>?)null))]);

    public void Add(params (string? Text, Func<string, string>? Paint)[] cells) => _rows.Add([.. cells.Select(c => (c.Text ?? "", c.Paint))]);

    public void Write(TextWriter writer, Style style)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => i < r.Length ? r[i].Text.Length : 0))).ToArray();
        writer.WriteLine(style.Bold(Line([.. headers.Select(h => (h.ToUpperInvariant(), (Func<string, string>?)null))], widths)));
        foreach (var row in _rows)
        {
            writer.WriteLine(Line(row, widths));
        }
    }

    private static string Line((string Text, Func<string, string>? Paint)[] cells, int[] widths)
    {
        var parts = new List<string>(cells.Length);
        for (var i = 0; i < cells.Length; i++)
        {
            var last = i == cells.Length - 1;
            var text = last ? cells[i].Text : cells[i].Text.PadRight(widths[i]);
            parts.Add(cells[i].Paint is { } paint ? paint(text) : text);
        }

        return string.Join("  ", parts).TrimEnd();
    }
}
