using System.Globalization;
using OtpGate.OneMsg.Templates;

namespace OtpGate.OneMsg;

public sealed partial class OneMsgClient
{
    private const int TemplatePageSize = 100;

    // A channel with more than 100,000 templates does not exist; this only stops a server that pages forever.
    private const int MaxTemplatePages = 1000;

    /// <summary>
    /// Reads every template of the channel, following <c>limit</c>/<c>offset</c> paging until a page adds
    /// nothing new (1MSG may ignore <c>offset</c> and repeat a page) or comes back short. <c>total</c> is not
    /// trusted to stop early: whether it counts the page or the channel is not documented, and one request
    /// too many costs less than a template missed.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The templates, normalised (see <see cref="TemplateInfo"/>), in 1MSG's order.</returns>
    /// <exception cref="OneMsgException">1MSG refused the call, could not be reached, or answered something unreadable.</exception>
    public async Task<IReadOnlyList<TemplateInfo>> GetTemplatesAsync(CancellationToken cancellationToken = default)
    {
        var all = new List<TemplateInfo>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var offset = 0;
        var pages = 0;
        while (pages < MaxTemplatePages)
        {
            var query = string.Create(CultureInfo.InvariantCulture, $"limit={TemplatePageSize}&offset={offset}");
            using var document = await CallAsync(HttpMethod.Get, "templates", query, null, requireJson: true, cancellationToken)
                ?? throw Unreadable("GET templates", "a body");
            pages++;

            var page = TemplateListReader.ReadPage(document.RootElement);
            var added = 0;
            foreach (var template in page)
            {
                if (seen.Add(TemplateListReader.Key(template)))
                {
                    all.Add(template);
                    added++;
                }
            }

            if (added == 0 || page.Count < TemplatePageSize)
            {
                break;
            }

            offset += page.Count;
        }

        OneMsgLog.TemplatesRead(_logger, all.Count, pages);
        return TemplateListReader.FillMissingNamespaces(all);
    }
}
