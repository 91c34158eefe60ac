namespace OtpGate.Server.Hosting;

/// <summary>
/// Where the start-up banner goes: the console, not the logs, because on the first start it carries the generated
/// development API key, which must not end up in a log store.
/// </summary>
public sealed class BannerWriter(TextWriter writer)
{
    public void WriteLines(IEnumerable<string> lines)
    {
        lock (writer)
        {
            foreach (var line in lines)
            {
                writer.WriteLine(line);
            }

            writer.Flush();
        }
    }
}
